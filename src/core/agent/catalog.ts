// The warehouse catalog as the agent sees it: tables linked to their dbt nodes, ranked so that documented,
// refined dbt models (marts) come before staging views and raw tables, inferred from lineage and docs only.
import type { ColumnDef, DbtNode, WarehouseColumn, WarehouseTable } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { oneLine, untrusted } from './quote';

export interface AgentTable {
  table: WarehouseTable;
  node?: DbtNode;
  /** Higher = a better place to answer from. */
  score: number;
  preferred: boolean;
  /** Model layers upstream of the node (0 for staging models reading only sources and seeds). */
  depth: number;
}

/** `schema.name`: how the agent writes and shows table names (the connection resolves the database). */
export function qualified(t: WarehouseTable): string {
  return `${t.schema}.${t.name}`;
}

export class AgentCatalog {
  readonly tables: AgentTable[];
  private readonly byTable = new Map<WarehouseTable, AgentTable>();

  constructor(readonly snap: WorkspaceSnapshot) {
    const list = (snap.catalog?.error ? [] : snap.catalog?.tables ?? []).map(t => rank(t, snap));
    // Preferred: well-documented models built on other models (the marts of a staging → marts project); in a flat
    // project every well-documented model; failing that, described models built on others.
    const models = list.filter(t => t.node?.resourceType === 'model' && t.node.description);
    const documented = models.filter(t => docRatio(t.table, t.node!) >= 0.8);
    const layered = documented.filter(t => t.depth > 0);
    const chosen = layered.length ? layered : documented.length ? documented : models.filter(t => t.depth > 0);
    for (const t of chosen) t.preferred = true;
    this.tables = list.sort((a, b) => b.score - a.score || qualified(a.table).localeCompare(qualified(b.table)));
    for (const t of this.tables) this.byTable.set(t.table, t);
  }

  get warehouseTables(): WarehouseTable[] {
    return this.tables.map(t => t.table);
  }

  of(t: WarehouseTable): AgentTable | undefined {
    return this.byTable.get(t);
  }

  /** Sort order for ambiguous names: preferred tables first. */
  readonly compare = (a: WarehouseTable, b: WarehouseTable): number => (this.of(b)?.score ?? 0) - (this.of(a)?.score ?? 0);

  /** A table by `name`, `schema.name` or `database.schema.name`, or by the dbt node name that builds it. */
  find(name: string): AgentTable | undefined {
    const parts = name.replace(/["`]/g, '').split('.').map(s => s.trim().toLowerCase()).filter(Boolean);
    if (!parts.length) return undefined;
    const [n, s, d] = [...parts].reverse();
    const hit = this.tables.find(t => t.table.name.toLowerCase() === n && (!s || t.table.schema.toLowerCase() === s) && (!d || t.table.database.toLowerCase() === d));
    return hit ?? (parts.length === 1 ? this.tables.find(t => t.node?.name.toLowerCase() === n) : undefined);
  }

  /** Near names for an unknown table, best first. */
  similar(name: string, k = 3): AgentTable[] {
    const want = name.toLowerCase().split('.').pop() ?? '';
    return this.tables.map(t => ({ t, d: distance(want, t.table.name.toLowerCase()) }))
      .sort((a, b) => a.d - b.d || b.t.score - a.t.score).slice(0, k).map(x => x.t);
  }
}

function rank(table: WarehouseTable, snap: WorkspaceSnapshot): AgentTable {
  const node = table.nodeId ? snap.graph.get(table.nodeId) : undefined;
  const depth = node?.resourceType === 'model' ? layerDepth(node, snap) : 0;
  let score = 0;
  if (node) {
    score += node.resourceType === 'model' ? 3 : node.resourceType === 'snapshot' ? 2 : 1;
    if (node.description) score += 1;
    score += 2 * docRatio(table, node);
    score += Math.min(3, depth);
    const m = node.config.materialized;
    if (m === 'table' || m === 'incremental') score += 0.5;
  } else if (table.comment) {
    score += 0.5;
  }
  return { table, node, score: Math.round(score * 100) / 100, preferred: false, depth };
}

/** Share of the table's columns the dbt YAML documents. */
function docRatio(table: WarehouseTable, node: DbtNode): number {
  const documented = node.columns.filter(c => c.description).length;
  return documented / Math.max(1, table.columns.length, node.columns.length);
}

/** How many model layers lie upstream: refined models (marts) sit deeper than staging views. */
function layerDepth(node: DbtNode, snap: WorkspaceSnapshot): number {
  const hits = snap.graph.upstream(node.uniqueId, 4).filter(h => h.node.resourceType === 'model' || h.node.resourceType === 'snapshot');
  return hits.reduce((m, h) => Math.max(m, h.depth), 0);
}

/** The dbt column entry documenting a warehouse column. */
export function columnDef(node: DbtNode | undefined, column: string): ColumnDef | undefined {
  const c = column.toLowerCase();
  return node?.columns.find(x => x.name.toLowerCase() === c);
}

export interface SchemaTextOptions {
  /** Include dbt descriptions and warehouse comments (quoted as untrusted data). */
  descriptions?: boolean;
  /** Only these columns (others are counted). */
  columns?: WarehouseColumn[];
}

/** The exact schema of a table: its name, kind, rows, dbt node and every column with its type. */
export function schemaText(t: AgentTable, opts: SchemaTextOptions = {}): string {
  const { table, node } = t;
  const head = `${qualified(table)} (${table.kind}${table.rowCount !== undefined ? `, ${table.rowCount} rows` : ''}` +
    `${node ? `; dbt ${node.resourceType} ${node.name}` : ''}${t.preferred ? '; preferred' : ''})`;
  const cols = opts.columns ?? table.columns;
  const lines = cols.map(c => {
    const doc = opts.descriptions ? oneLine(columnDef(node, c.name)?.description ?? c.comment, 200) : '';
    return `  ${c.name} ${c.type}${doc ? ` -- ${doc}` : ''}`;
  });
  const rest = table.columns.length - cols.length;
  if (rest > 0) lines.push(`  … ${rest} more column${rest === 1 ? '' : 's'} (describe_table shows all)`);
  const about = opts.descriptions ? oneLine(node?.description ?? table.comment, 300) : '';
  const body = `${head}\n${lines.join('\n')}`;
  return about ? `${body}\n  about: ${about}` : body;
}

/** The same, with descriptions wrapped as untrusted data (for tool results). */
export function quotedSchemaText(t: AgentTable): string {
  return untrusted(`schema and docs of ${qualified(t.table)}`, schemaText(t, { descriptions: true }));
}

function distance(a: string, b: string): number {
  if (a === b) return 0;
  if (b.includes(a) || a.includes(b)) return Math.abs(a.length - b.length) / 10;
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
