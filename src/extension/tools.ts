// Language-model tools so agent mode (and any participant) can drill into the index: search, lineage, history.
// Declared in package.json (languageModelTools) and registered here under the same names.
import * as vscode from 'vscode';
import type { Engine } from '../core/engine';
import type { LineageHit } from '../core/dbt/graph';
import type { WorkspaceEngines } from './engines/workspaceEngines';

interface SearchInput { query: string; limit?: number }
interface LineageInput { model: string; direction?: 'upstream' | 'downstream' | 'both'; depth?: number }
interface HistoryInput { model: string; limit?: number }

export const TOOL_NAMES = ['dea_search', 'dea_lineage', 'dea_history'] as const;

export function registerTools(engines: WorkspaceEngines): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.lm.registerTool<SearchInput>('dea_search', tool(i => `Searching the dbt index for "${i.query}"`, (i, e) => searchText(e, i))),
    vscode.lm.registerTool<LineageInput>('dea_lineage', tool(i => `Reading the lineage of ${i.model}`, (i, e) => lineageText(e, i))),
    vscode.lm.registerTool<HistoryInput>('dea_history', tool(i => `Reading the git history of ${i.model}`, (i, e) => historyText(e, i))),
  );

  function tool<T>(message: (input: T) => string, run: (input: T, e: Engine) => Promise<string>): vscode.LanguageModelTool<T> {
    return {
      prepareInvocation: o => ({ invocationMessage: message(o.input) }),
      invoke: async o => {
        const folder = engines.active();
        const engine = await folder?.get();
        const text = engine ? await run(o.input, engine) : 'No dbt project is indexed in this workspace.';
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
      },
    };
  }
}

async function searchText(engine: Engine, i: SearchInput): Promise<string> {
  if (!i.query?.trim()) return 'The query is empty.';
  const hits = await engine.search(i.query, Math.min(20, Math.max(1, i.limit ?? 8)));
  if (!hits.length) return `Nothing in the index matches "${i.query}".`;
  return hits.map((h, k) => {
    const c = h.doc.citation;
    const where = `${c.path}${c.startLine ? `:${c.startLine}-${c.endLine ?? c.startLine}` : ''}${c.commit ? ` @${c.commit.slice(0, 7)}` : ''}`;
    return `[${k + 1}] ${h.doc.kind} ${h.doc.title} (${where})\n${h.doc.text.slice(0, 800)}`;
  }).join('\n\n');
}

async function lineageText(engine: Engine, i: LineageInput): Promise<string> {
  const node = await engine.resolve(i.model ?? '');
  if (!node) return `No model, source or seed named "${i.model}" in this workspace.`;
  const snap = await engine.snapshot();
  const depth = Math.min(6, Math.max(1, i.depth ?? 2));
  const dir = i.direction ?? 'both';
  const lines = [`${node.resourceType} ${node.name} (${node.location?.path ?? node.yamlLocation?.path ?? node.uniqueId})`];
  const list = (label: string, hits: LineageHit[]) => {
    lines.push(`${label} (depth ≤ ${depth}): ${hits.length ? '' : 'none'}`);
    for (const h of hits) lines.push(`${'  '.repeat(h.depth)}- ${h.node.resourceType} ${h.node.name} (${h.node.location?.path ?? h.node.yamlLocation?.path ?? h.node.uniqueId})`);
  };
  if (dir !== 'downstream') list('Upstream', snap.graph.upstream(node.uniqueId, depth));
  if (dir !== 'upstream') list('Downstream', snap.graph.downstream(node.uniqueId, depth));
  return lines.join('\n');
}

async function historyText(engine: Engine, i: HistoryInput): Promise<string> {
  const node = await engine.resolve(i.model ?? '');
  const snap = await engine.snapshot();
  const path = node?.location?.path ?? node?.yamlLocation?.path ?? i.model;
  const changes = snap.history.fileChanges(path).slice(0, Math.min(50, Math.max(1, i.limit ?? 10)));
  if (!changes.length) return `No git history for ${path}${snap.historyData.reason ? ` (${snap.historyData.reason})` : ''}.`;
  return [`Commits changing ${path}, newest first:`, ...changes.map(({ commit, change }) =>
    `- ${commit.sha.slice(0, 10)} ${commit.date.slice(0, 10)} ${commit.author}: ${commit.subject} (+${change.additions} -${change.deletions}${change.oldPath ? `, renamed from ${change.oldPath}` : ''})`)].join('\n');
}
