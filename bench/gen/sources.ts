// Source systems, their tables and raw columns (what the loaders land in the `raw` database).
import type { Rng } from './random';
import { entityOf, type Entity, type RawColumn, type SourceDef, type SourceTable } from './plan';
import {
  DOMAIN_COLUMNS, GENERIC_COLUMNS, SOURCE_SUFFIXES, SOURCE_SYSTEMS, STATUS_VALUES, TABLE_DOMAINS,
  type Domain, type SourceSystem,
} from './vocab';

const LOADED_AT: Record<string, string> = {
  fivetran: '_fivetran_synced', airbyte: '_airbyte_emitted_at', stitch: '_sdc_batched_at', segment: 'received_at',
};

/** Sources holding `tableCount` tables in all, several tables each. */
export function planSources(rng: Rng, tableCount: number): SourceDef[] {
  const systems = candidateSystems(rng);
  const perSourceCap = Math.max(1, Math.ceil(tableCount / 2));
  const sources: SourceDef[] = [];
  let left = tableCount;
  for (let i = 0; left > 0; i++) {
    const { name, system } = systems[i % systems.length].next(i >= systems.length ? Math.floor(i / systems.length) + 1 : 0);
    const k = Math.min(left, perSourceCap, system.tables.length, rng.int(5, 12));
    const picked = new Set(rng.sample(system.tables, k));
    const source: SourceDef = { name, system, loadedAt: LOADED_AT[system.loader] ?? '_loaded_at', tables: [] };
    for (const t of system.tables.filter(t => picked.has(t))) source.tables.push(newTable(source, t));
    sources.push(source);
    left -= k;
  }
  return sources;
}

/** Base systems first, then regional/legacy instances of them, then numbered copies for huge scales. */
function candidateSystems(rng: Rng): { next(round: number): { name: string; system: SourceSystem } }[] {
  const base = rng.shuffle(SOURCE_SYSTEMS);
  const variants = rng.shuffle(SOURCE_SUFFIXES.flatMap(sfx => base.map(system => ({ system, sfx }))));
  const list = [...base.map(system => ({ system, sfx: '' })), ...variants];
  return list.map(({ system, sfx }) => ({
    next: (round: number) => ({ name: system.name + sfx + (round > 0 ? `_${round + 1}` : ''), system }),
  }));
}

function newTable(source: SourceDef, table: string): SourceTable {
  const entity = entityOf(table);
  const domain: Domain = TABLE_DOMAINS[table] ?? source.system.domain;
  return {
    source, table, entity, domain, raw: [], documented: 0,
    description: `${source.system.title} ${entity.words} records as replicated by ${source.system.loader}: one row per ${entity.words}.`,
  };
}

/** Fills `t.raw` with `count` columns (at least 4): key, foreign keys, attributes, load timestamp. */
export function fillRawColumns(rng: Rng, t: SourceTable, count: number): void {
  const sys = t.source.system;
  const subst = (s: string) => s.replace(/\{e\}/g, t.entity.words).replace(/\{s\}/g, t.entity.singular).replace(/\{sys\}/g, sys.title);
  const cols: RawColumn[] = [{
    raw: 'id', clean: `${t.entity.singular}_id`, type: 'varchar', transform: '', role: 'pk',
    description: `Unique identifier of the ${t.entity.words} in ${sys.title}.`,
  }];
  for (const other of foreignEntities(rng, t)) {
    cols.push({
      raw: sys.bareForeignKeys ? other.singular : `${other.singular}_id`, clean: `${other.singular}_id`, type: 'varchar',
      transform: '', role: 'fk', target: other.singular,
      description: `Identifier of the ${other.words} this ${t.entity.words} belongs to.`,
    });
  }
  const specs = [...rng.shuffle(DOMAIN_COLUMNS[t.domain]), ...rng.shuffle(GENERIC_COLUMNS)];
  const seen = new Set(cols.map(c => c.clean));
  for (const spec of specs) {
    const [raw, clean, type, transform, role, description] = spec.split('|');
    const c: RawColumn = { raw, clean: subst(clean), type, transform, role: role as RawColumn['role'], description: subst(description) };
    if (seen.has(c.clean) || seen.has(c.raw)) continue;
    if (c.role === 'status') Object.assign(c, statusValues(t.domain, c.clean));
    seen.add(c.clean);
    cols.push(c);
  }
  for (let k = 1; cols.length < count - 1; k++) {
    cols.push({ raw: `custom_field_${k}`, clean: `custom_field_${k}`, type: 'varchar', transform: 'clean', role: 'attr',
      description: `Custom field ${k} configured by the ${sys.title} admins for the ${t.entity.words}.` });
  }
  t.raw = cols.slice(0, Math.max(3, count - 1));
  t.raw.push({ raw: t.source.loadedAt, clean: '_loaded_at', type: 'timestamp', transform: '', role: 'meta',
    description: `When ${sys.loader} loaded the row into the warehouse.` });
}

function statusValues(domain: Domain, clean: string): Partial<RawColumn> {
  if (clean !== 'status') return {};
  return { values: STATUS_VALUES[domain], valuesDomain: domain };
}

/** Entities other tables usually point at. */
const PARENTS = new Set([
  'customer', 'user', 'account', 'contact', 'company', 'organization', 'order', 'product', 'campaign', 'invoice',
  'subscription', 'ticket', 'warehouse', 'job', 'worker', 'opportunity', 'conversation', 'charge', 'shipment', 'ad_group',
  'candidate', 'vendor', 'purchase_order', 'transaction', 'session', 'list', 'team', 'carrier', 'item', 'price',
]);

/** 1-3 other tables of the same source the table points at, parents (customers, orders...) first. */
function foreignEntities(rng: Rng, t: SourceTable): Entity[] {
  const others = t.source.tables.filter(o => o !== t).map(o => o.entity);
  const parents = rng.shuffle(others.filter(e => PARENTS.has(e.singular)));
  const rest = rng.shuffle(others.filter(e => !PARENTS.has(e.singular)));
  const want = PARENTS.has(t.entity.singular) ? rng.int(0, 2) : rng.int(1, 3);
  return [...parents, ...rest].slice(0, Math.max(parents.length ? 1 : 0, want));
}
