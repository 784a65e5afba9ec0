// The compact schema the system prompt starts from, built from the catalog and the dbt docs: every table when it
// fits the budget, else the tables retrieval finds for the question with their columns pruned to the likely ones.
import type { SearchHit } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { AgentCatalog, columnDef, qualified, schemaText, type AgentTable } from './catalog';
import { oneLine } from './quote';

export interface SchemaContextOptions {
  /** Characters the schema may take in the prompt (default 24,000, about 6k tokens). */
  budget?: number;
  /** Retrieval over the index (engine.search), used when the whole schema does not fit. */
  search?: (query: string, k: number) => Promise<SearchHit[]>;
  /** Tables kept in detail when pruning (default 8). */
  maxTables?: number;
  /** Columns kept per table when pruning (default 20). */
  maxColumns?: number;
}

export interface SchemaContext {
  text: string;
  /** Tables described in detail. */
  detailed: AgentTable[];
  pruned: boolean;
}

export async function buildSchemaContext(question: string, catalog: AgentCatalog, opts: SchemaContextOptions = {}): Promise<SchemaContext> {
  const budget = opts.budget ?? 24_000;
  const vars = projectVars(catalog.snap);
  const full = fullSchema(catalog);
  if (full.text.length + vars.length <= budget) return { text: full.text + vars, detailed: full.detailed, pruned: false };
  const candidates = await relevantTables(question, catalog, opts);
  const words = questionWords(question);
  const maxColumns = opts.maxColumns ?? 20;
  const head = 'Tables most relevant to the question (preferred = documented dbt models to answer from):';
  // Detailed tables while they fit (at least one), then the other names while they fit.
  const picked: AgentTable[] = [];
  let text = head;
  for (const t of candidates) {
    const block = schemaText(t, { descriptions: true, columns: pruneColumns(t, words, maxColumns) });
    if (picked.length && text.length + block.length + vars.length + 300 > budget) continue;
    picked.push(t);
    text += `\n${block}\n`;
  }
  const names = catalog.tables.filter(t => !picked.includes(t)).map(t => `${qualified(t.table)}${t.node ? ` [${t.node.resourceType}]` : ''}`);
  const listed: string[] = [];
  for (const n of names) {
    if (text.length + listed.join(', ').length + n.length + vars.length + 120 > budget) break;
    listed.push(n);
  }
  if (names.length) {
    const more = names.length - listed.length;
    text += `\nOther tables (describe_table shows their columns): ${listed.join(', ')}${more ? `${listed.length ? ', ' : ''}… ${more} more (list_tables)` : ''}`;
  }
  return { text: text + vars, detailed: picked, pruned: true };
}

/** Preferred tables with every column and its docs; the rest as one line each. */
function fullSchema(catalog: AgentCatalog): { text: string; detailed: AgentTable[] } {
  const detailed = catalog.tables.filter(t => t.preferred);
  const rest = catalog.tables.filter(t => !t.preferred);
  const blocks = detailed.map(t => schemaText(t, { descriptions: true }));
  const lines = rest.map(t => `${qualified(t.table)} (${t.table.kind}${t.node ? `; dbt ${t.node.resourceType} ${t.node.name}` : ''}): ${t.table.columns.map(c => c.name).join(', ')}`);
  const text = [
    detailed.length ? `Preferred tables (documented dbt models; answer from these when they have what you need):\n${blocks.join('\n\n')}` : '',
    rest.length ? `Other tables (staging, raw or undocumented; use only when the preferred ones lack something):\n${lines.join('\n')}` : '',
  ].filter(Boolean).join('\n\n');
  return { text, detailed };
}

/** Tables behind the index's best hits, then name matches, preferred first, at most `maxTables`. */
async function relevantTables(question: string, catalog: AgentCatalog, opts: SchemaContextOptions): Promise<AgentTable[]> {
  const max = opts.maxTables ?? 8;
  const scores = new Map<AgentTable, number>();
  const bump = (t: AgentTable | undefined, s: number) => { if (t) scores.set(t, (scores.get(t) ?? 0) + s); };
  const hits = opts.search ? await opts.search(question, 30).catch(() => []) : [];
  const byNode = new Map(catalog.tables.filter(t => t.node).map(t => [t.node!.uniqueId, t]));
  hits.forEach((h, i) => bump(h.doc.nodeId ? byNode.get(h.doc.nodeId) : undefined, 1 / (i + 1)));
  const words = questionWords(question);
  for (const t of catalog.tables) {
    const names = `${t.table.name} ${t.table.columns.map(c => c.name).join(' ')}`.toLowerCase();
    const overlap = [...words].filter(w => names.includes(w)).length;
    if (overlap) bump(t, overlap * 0.1);
  }
  const ranked = [...scores.entries()].sort((a, b) => (b[0].preferred ? 1 : 0) - (a[0].preferred ? 1 : 0) || b[1] - a[1] || b[0].score - a[0].score);
  const picked = ranked.slice(0, max).map(([t]) => t);
  if (!picked.length) return catalog.tables.filter(t => t.preferred).slice(0, max);
  return picked;
}

/** Keys, dates and columns named like the question's words first; then the documented ones; in table order. */
function pruneColumns(t: AgentTable, words: Set<string>, max: number): AgentTable['table']['columns'] {
  const cols = t.table.columns;
  if (cols.length <= max) return cols;
  const score = (name: string, type: string) => {
    const n = name.toLowerCase();
    let s = 0;
    for (const w of words) if (n.includes(w)) s += 3;
    if (/(^|_)id$/.test(n)) s += 2;
    if (/date|time|timestamp/i.test(type) || /(_at|_on|_date|month|week|year)$/.test(n)) s += 2;
    if (/amount|revenue|price|total|count|value|quantity/.test(n)) s += 1;
    if (columnDef(t.node, name)?.description) s += 1;
    return s;
  };
  const keep = new Set(cols.map((c, i) => ({ c, s: score(c.name, c.type), i })).sort((a, b) => b.s - a.s || a.i - b.i).slice(0, max).map(x => x.c));
  return cols.filter(c => keep.has(c));
}

const STOP = new Set(['the', 'and', 'for', 'how', 'many', 'much', 'what', 'which', 'did', 'does', 'our', 'are', 'was', 'were', 'with', 'any', 'from', 'that', 'this', 'last', 'per', 'each', 'most', 'top', 'who', 'has', 'have', 'all', 'average']);

function questionWords(q: string): Set<string> {
  const words = q.toLowerCase().match(/[a-z][a-z0-9_]{2,}/g) ?? [];
  // Plurals: "products" should find product_id and product_name.
  return new Set(words.filter(w => !STOP.has(w)).map(w => (w.length > 4 && w.endsWith('s') ? w.slice(0, -1) : w)));
}

/** The dbt projects' vars (e.g. an as-of date): generic context for relative dates and thresholds. */
function projectVars(snap: WorkspaceSnapshot): string {
  const lines: string[] = [];
  for (const p of snap.projects) {
    for (const [k, v] of Object.entries(p.info.vars ?? {})) {
      if (v === null || typeof v === 'object') continue;
      lines.push(`${p.info.name}.${k} = ${oneLine(String(v), 80)}`);
    }
  }
  return lines.length ? `\n\ndbt project variables (from dbt_project.yml):\n${lines.slice(0, 30).join('\n')}` : '';
}
