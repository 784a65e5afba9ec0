// The index diagnostics as markdown: per folder its projects, documents, embeddings, git history, warehouse,
// last refresh and problems; the language model; recent errors. Pure (tested without VS Code).
import type { EngineStatus } from '../../core/engine';

export interface FolderDiagnostics {
  name: string;
  path: string;
  state: string;
  error?: string;
  errors: { at: string; message: string }[];
  status?: EngineStatus;
}

export interface Diagnostics {
  version: string;
  folders: FolderDiagnostics[];
  model: { label: string; id?: string; problem?: string };
  /** Non-secret settings worth showing. */
  settings: Record<string, unknown>;
}

const MAX_PROBLEMS = 50;

export function formatDiagnostics(d: Diagnostics): string {
  const out: string[] = [`# Data Engineering Agent — index diagnostics`, '', `Extension ${d.version}, generated ${new Date().toISOString()}.`, ''];
  out.push('## Language model', '', `- answers from: ${d.model.label}${d.model.id ? ` (\`${d.model.id}\`)` : ''}`);
  out.push(`- status: ${d.model.problem ? `**model unavailable** — ${d.model.problem}` : 'ok'}`, '');
  if (!d.folders.length) out.push('No workspace folder is open.', '');
  for (const f of d.folders) out.push(...folderSection(f));
  out.push('## Settings', '', '```json', JSON.stringify(d.settings, null, 2), '```', '');
  return out.join('\n');
}

function folderSection(f: FolderDiagnostics): string[] {
  const out = [`## Folder ${f.name}`, '', `- path: \`${f.path}\``, `- state: **${f.state}**${f.error ? ` — ${f.error}` : ''}`];
  const s = f.status;
  if (s) {
    out.push(`- index: \`${s.indexDir}\``);
    out.push(`- projects found: ${s.projects.length ? '' : 'none'}`);
    for (const p of s.projects) out.push(`  - ${p.name} at \`${p.root || '.'}\`: ${p.nodes} nodes (from ${p.origin})`);
    out.push(`- documents: ${s.documents}`);
    out.push(`- embeddings: ${s.embedder.kind} \`${s.embedder.model}\` (${s.embedder.dims} dims)${s.embedder.reason ? ` — ${s.embedder.reason}` : ''}`);
    out.push(`- git history: ${s.history.commits} commits${s.history.partial ? ' (partial)' : ''}${s.history.reason ? ` — ${s.history.reason}` : ''}`);
    out.push(`- warehouse: ${s.warehouse ? `${s.warehouse.kind} \`${s.warehouse.origin}\`: ${s.warehouse.error ? `**error** — ${s.warehouse.error}` : `${s.warehouse.tables} tables`}` : 'none found (no DuckDB profile or file)'}`);
    const r = s.lastRefresh;
    if (r) out.push(`- last refresh: ${r.documents} documents, ${r.embedded} embedded, ${r.removed} removed, ${r.unchanged} unchanged in ${r.ms} ms${r.rebuilt ? ` (index rebuilt: ${r.rebuilt})` : ''}`);
    out.push('', `### Problems (${s.problems.length})`, '');
    if (!s.problems.length) out.push('None.');
    for (const p of s.problems.slice(0, MAX_PROBLEMS)) out.push(`- ${p.severity}: \`${p.path}${p.line ? `:${p.line}` : ''}\` ${p.message}`);
    if (s.problems.length > MAX_PROBLEMS) out.push(`- … ${s.problems.length - MAX_PROBLEMS} more`);
  }
  out.push('', '### Last errors', '');
  if (!f.errors.length) out.push('None.');
  for (const e of f.errors.slice(-10).reverse()) out.push(`- ${e.at}: ${e.message}`);
  out.push('');
  return out;
}
