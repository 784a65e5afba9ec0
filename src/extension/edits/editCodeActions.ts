// The lightbulb on dbt .sql and .yml files: the actions for the node under the cursor (document, generate tests,
// review, explain, optimize, rename the model or the column under the cursor, replace hard-coded relations, a staging
// model for a source table) and the review's quick fixes. Every action is a command: nothing is planned until it is
// chosen, and what it plans goes through the approval flow.
import * as vscode from 'vscode';
import { findHardcodedRelations } from '../../core/edits/refactorRelations';
import { readSqlModel } from '../../core/edits/refactorSql';
import { sourceNameOf } from '../../core/dbt/graph-node';
import type { DbtNode } from '../../core/types';
import { DOCUMENTED_TYPES } from '../../core/workspace/columnDocs';
import { nodeAt } from '../../core/workspace/nodeAt';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import { nodeRef, type NodeRef } from '../nodeRef';
import { relativePath } from '../paths';
import { undocumented } from './editLenses';
import { keyOf, type ReviewPanel } from './reviewPanel';

const REFACTOR = vscode.CodeActionKind.Refactor.append('dea');
const QUICK_FIX = vscode.CodeActionKind.QuickFix.append('dea');

export const EDIT_ACTION_KINDS = [QUICK_FIX, REFACTOR];

export class EditCodeActionProvider implements vscode.CodeActionProvider {
  constructor(private readonly engines: WorkspaceEngines, private readonly reviews: ReviewPanel) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const fixes = this.quickFixes(context);
    if (context.only && !context.only.contains(REFACTOR) && !REFACTOR.contains(context.only)) return fixes;
    const engine = this.engines.forUri(doc.uri);
    const snap = engine?.snapshot;
    const rel = engine && relativePath(engine.folder, doc.uri);
    if (!engine || !snap || !rel) return fixes;
    const node = nodeAt(snap, rel, range.start.line + 1);
    if (!node || !DOCUMENTED_TYPES.has(node.resourceType)) return fixes;
    const ref = nodeRef(engine, node);
    return [...fixes, ...nodeActions(snap, node, ref, doc, range, rel)];
  }

  private quickFixes(context: vscode.CodeActionContext): vscode.CodeAction[] {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      const fix = this.reviews.fixOf(d);
      if (!fix) continue;
      const a = new vscode.CodeAction(`Fix: ${fix.plan.title}`, QUICK_FIX);
      a.diagnostics = [d];
      a.isPreferred = true;
      a.command = { title: a.title, command: 'dea.applyReviewFix', arguments: [keyOf(d)] };
      out.push(a);
    }
    return out;
  }
}

function nodeActions(snap: WorkspaceSnapshot, node: DbtNode, ref: NodeRef, doc: vscode.TextDocument, range: vscode.Range, rel: string): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const add = (title: string, command: string, ...args: unknown[]) => {
    const a = new vscode.CodeAction(title, REFACTOR);
    a.command = { title, command, arguments: args };
    out.push(a);
  };
  if (undocumented(snap, node)) add(`DEA: Document ${node.name}`, 'dea.documentModel', ref);
  add(`DEA: Document ${node.name} (rewrite existing descriptions)`, 'dea.documentModelRewrite', ref);
  if (!snap.graph.testsCovering(node.uniqueId).length) add(`DEA: Generate tests for ${node.name}`, 'dea.generateTests', ref);
  if (node.resourceType === 'source') add(`DEA: New staging model for ${sourceNameOf(node)}.${node.name}`, 'dea.newStagingModel', sourceNameOf(node), node.name);
  if (node.resourceType !== 'model') return out;
  add(`DEA: Review ${node.name}`, 'dea.reviewModel', ref);
  add(`DEA: Explain ${node.name}`, 'dea.explainModel', ref);
  if (node.language !== 'python') add(`DEA: Optimize the SQL of ${node.name}`, 'dea.optimizeModel', ref);
  add(`DEA: Rename model ${node.name}…`, 'dea.renameModel', ref);
  const column = columnUnderCursor(node, doc, range);
  add(column ? `DEA: Rename column ${column}…` : `DEA: Rename a column of ${node.name}…`, 'dea.renameColumn', ref, column);
  if (rel.endsWith('.sql') && node.location?.path === rel && hasReplaceable(snap, node, doc)) {
    add(`DEA: Replace hard-coded relations in ${node.name} with ref()/source()`, 'dea.replaceHardcodedRelations', ref);
  }
  return out;
}

/** The word under the cursor when it names one of the node's columns (YAML `- name: x` or the SQL). */
function columnUnderCursor(node: DbtNode, doc: vscode.TextDocument, range: vscode.Range): string | undefined {
  const word = doc.getWordRangeAtPosition(range.start, /[A-Za-z_][A-Za-z0-9_]*/);
  const text = word && doc.getText(word);
  return text && node.columns.some(c => c.name.toLowerCase() === text.toLowerCase()) ? text : undefined;
}

function hasReplaceable(snap: WorkspaceSnapshot, node: DbtNode, doc: vscode.TextDocument): boolean {
  try {
    return findHardcodedRelations(snap, node, readSqlModel(doc.getText())).some(h => h.replacement);
  } catch {
    return false;
  }
}
