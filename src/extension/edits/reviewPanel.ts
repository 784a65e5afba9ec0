// "Review Model": core's findings as diagnostics in the Problems panel (source "DEA review", the rule as code), each
// deterministic fix kept beside its diagnostic and offered as a quick fix (lightbulb) that goes through the approval
// flow like every other change. A new review of a model replaces its findings; an applied fix re-reviews it.
import * as vscode from 'vscode';
import { reviewModel, type ReviewFinding, type ReviewResult } from '../../core/edits/review';
import type { EditPlan } from '../../core/edits/types';
import type { FolderEngine } from '../engines/folderEngine';
import { lineRange, uriOf } from '../paths';
import type { EditActions } from './actions';
import { uniquenessProbe, withWarehouse } from './editWarehouse';
import type { Proposal } from './preview';
import { workspaceReader } from './workspaceTexts';

export const REVIEW_SOURCE = 'DEA review';

interface StoredFix {
  folder: FolderEngine;
  nodeId: string;
  rule: string;
  line: number;
  plan: EditPlan;
}

export interface ReviewSummary {
  node?: string;
  findings: { rule: string; severity: string; message: string; path: string; line: number; fix?: string }[];
  problems: string[];
  /** The findings as a markdown list (for the chat). */
  markdown: string;
}

export class ReviewPanel implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('dea-review');
  private readonly fixes = new Map<string, StoredFix>();
  /** Diagnostics per node, so a new review replaces exactly its own. */
  private readonly byNode = new Map<string, { uri: vscode.Uri; diagnostic: vscode.Diagnostic }[]>();

  constructor(private readonly actions: EditActions) {}

  async review(folder: FolderEngine, nodeId: string, origin: 'chat' | 'command' = 'command'): Promise<ReviewSummary> {
    const r = await this.run(folder, nodeId);
    this.publish(folder, nodeId, r);
    const summary = summarize(r);
    if (origin === 'command') void this.announce(r, summary);
    return summary;
  }

  /** The stored fix of a review diagnostic, if it has one. */
  fixOf(d: vscode.Diagnostic): StoredFix | undefined {
    return d.source === REVIEW_SOURCE ? this.fixes.get(keyOf(d)) : undefined;
  }

  /** Offers a review fix for approval; stale → the model is reviewed again and the same rule's fix used. */
  async applyFix(key: string, origin: 'chat' | 'command' = 'command'): Promise<Proposal | undefined> {
    const fix = this.fixes.get(key);
    if (!fix) return undefined;
    const replan = async () => {
      const again = await this.run(fix.folder, fix.nodeId);
      const same = again.findings.find(f => f.rule === fix.rule && f.fix) ?? again.findings.find(f => f.fix);
      return same?.fix ?? { ...fix.plan, changes: [], problems: [{ path: '', severity: 'error' as const, message: 'After re-reviewing the model, this finding has no fix any more.' }] };
    };
    const p = await this.actions.offer({ plan: fix.plan, folder: fix.folder }, origin, replan);
    if (p.status === 'applied') {
      await fix.folder.refreshNow('review fix applied', false);
      await this.review(fix.folder, fix.nodeId, 'chat');
    }
    return p;
  }

  private async run(folder: FolderEngine, nodeId: string): Promise<ReviewResult> {
    await folder.whenIdle();
    const engine = await folder.get();
    if (!engine) return { findings: [], problems: [{ path: '', severity: 'error', message: `The index of ${folder.folder.name} is not available.` }] };
    const snap = await engine.snapshot();
    const readFile = workspaceReader(folder.folder);
    return withWarehouse(this.actions.d.warehouses, folder, this.actions.d.log, w =>
      reviewModel(engine, nodeId, { readFile, probe: w ? uniquenessProbe(snap, w) : undefined }));
  }

  private publish(folder: FolderEngine, nodeId: string, r: ReviewResult): void {
    for (const { uri, diagnostic } of this.byNode.get(nodeId) ?? []) {
      this.diagnostics.set(uri, (this.diagnostics.get(uri) ?? []).filter(d => d !== diagnostic));
      this.fixes.delete(keyOf(diagnostic));
    }
    const mine: { uri: vscode.Uri; diagnostic: vscode.Diagnostic }[] = [];
    for (const f of r.findings) {
      const uri = uriOf(folder.folder, f.location.path);
      if (!uri) continue;
      const d = toDiagnostic(f);
      this.diagnostics.set(uri, [...(this.diagnostics.get(uri) ?? []), d]);
      if (f.fix) this.fixes.set(keyOf(d), { folder, nodeId, rule: f.rule, line: f.location.startLine, plan: f.fix });
      mine.push({ uri, diagnostic: d });
    }
    this.byNode.set(nodeId, mine);
  }

  private async announce(r: ReviewResult, s: ReviewSummary): Promise<void> {
    if (r.problems.length) {
      void vscode.window.showErrorMessage(`Review failed: ${r.problems.map(p => p.message).join(' ')}`);
      return;
    }
    const fixes = s.findings.filter(f => f.fix).length;
    const text = s.findings.length
      ? `Review of ${s.node}: ${s.findings.length} finding${s.findings.length === 1 ? '' : 's'}${fixes ? `, ${fixes} with a fix (lightbulb on the finding)` : ''}.`
      : `Review of ${s.node}: no findings.`;
    const pick = await vscode.window.showInformationMessage(text, ...(s.findings.length ? ['Show Problems'] : []));
    if (pick) await vscode.commands.executeCommand('workbench.actions.view.problems');
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.fixes.clear();
  }
}

/** The key under which a diagnostic's fix is kept: rule, range and message identify it. */
export function keyOf(d: vscode.Diagnostic): string {
  return `${String(typeof d.code === 'object' ? d.code.value : d.code)}@${d.range.start.line}:${d.message}`;
}

function toDiagnostic(f: ReviewFinding): vscode.Diagnostic {
  const d = new vscode.Diagnostic(lineRange(f.location.startLine, f.location.endLine),
    f.message, f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
  d.source = REVIEW_SOURCE;
  d.code = f.rule;
  return d;
}

function summarize(r: ReviewResult): ReviewSummary {
  const findings = r.findings.map(f => ({
    rule: f.rule, severity: f.severity, message: f.message, path: f.location.path, line: f.location.startLine, fix: f.fix?.title,
  }));
  const name = r.node?.name;
  const markdown = r.problems.length ? r.problems.map(p => p.message).join('\n')
    : findings.length ? [`**Review of \`${name}\`**`, '', ...findings.map(f => `- ${f.severity}: ${f.message} (\`${f.path}:${f.line}\`)${f.fix ? ` — fix: ${f.fix}` : ''}`)].join('\n')
    : `**Review of \`${name}\`**: no findings.`;
  return { node: name, findings, problems: r.problems.map(p => p.message), markdown };
}
