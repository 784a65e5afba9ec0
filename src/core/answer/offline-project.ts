// Offline answers about project-level settings: the warehouse connection (profiles.yml) and folder-level
// configs in dbt_project.yml ("are the staging models views, and in which schema?").
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Handler } from './offline';
import type { CitationList } from './citations';
import { contentWords } from '../retrieval/entities';

export const connectionAnswer: Handler = (q, ctx, _found, cites) => {
  const conns = ctx.snap.connections.filter(c => c.summary);
  if (!conns.length) return undefined;
  const lines = conns.map(c => {
    const file = c.profilesPath ?? 'profiles.yml';
    const cite = lineCite(ctx.snap.root, file, new RegExp(`^\\s+${escape(c.target ?? '')}:`), 'profile', cites);
    const fields = Object.entries(c.fields).filter(([k, v]) => !['profileName', 'targetName'].includes(k) && v !== undefined && typeof v !== 'object')
      .map(([k, v]) => `${k}: \`${String(v)}\``).join(', ');
    return `- project \`${c.project}\` uses profile \`${c.profile}\`, target \`${c.target}\` ${cite}: ${fields}`;
  });
  const wh = ctx.snap.catalog;
  const meta = wh ? `\n\nWarehouse metadata read from \`${wh.origin}\`: ${wh.error ?? `${wh.tables.length} tables and views`}.` : '';
  return `${lines.join('\n')}${meta}${/\bprod\b/i.test(q) && !conns.some(c => c.target === 'prod') ? '\n\nNo `prod` target is the default here; other targets in profiles.yml are used only with `--target`.' : ''}`;
};

/** Folder configs (`models: project: staging: +materialized: view`) named by the question's words. */
export const folderConfigAnswer: Handler = (q, ctx, _found, cites) => {
  const words = new Set(contentWords(q).concat(q.toLowerCase().match(/[a-z_]+/g) ?? []));
  const out: string[] = [];
  for (const p of ctx.snap.projects) {
    const models = (p.info.resourceConfigs.models ?? {}) as Record<string, unknown>;
    const tree = (models[p.info.name] ?? models) as Record<string, unknown>;
    for (const [folder, cfg] of Object.entries(tree)) {
      if (folder.startsWith('+') || !isRecord(cfg) || !words.has(folder.toLowerCase()) && !words.has(singular(folder))) continue;
      const settings = Object.entries(cfg).filter(([k]) => k.startsWith('+')).map(([k, v]) => `${k.slice(1)}: \`${typeof v === 'object' ? JSON.stringify(v) : String(v)}\``);
      const cite = lineCite(ctx.snap.root, p.info.configPath, new RegExp(`^\\s+${escape(folder)}:`), 'project_config', cites);
      out.push(`- \`${folder}/\` models in \`${p.info.name}\` ${cite}: ${settings.join(', ') || 'no folder-level settings'}`);
    }
  }
  return out.length ? `Folder-level configuration from \`dbt_project.yml\` (a model's own \`config()\` overrides it):\n${out.join('\n')}` : undefined;
};

/** Cites the first line of a workspace file matching `re` (or line 1). */
function lineCite(root: string, rel: string, re: RegExp, kind: string, cites: CitationList): string {
  let line = 1;
  try {
    const text = fs.readFileSync(path.isAbsolute(rel) ? rel : path.join(root, rel), 'utf8');
    const i = text.split('\n').findIndex(l => re.test(l));
    if (i >= 0) line = i + 1;
  } catch { /* cite the file anyway */ }
  return cites.range({ path: rel, startLine: line, endLine: line }, kind);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function singular(w: string): string {
  return w.toLowerCase().replace(/s$/, '');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
