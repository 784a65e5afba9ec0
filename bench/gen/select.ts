// The select of an intermediate or mart model: its CTEs, joins and output columns, derived from its inputs.
import type { Rng } from './random';
import type { Column, Model, ModelKind } from './plan';
import type { SeedSpec } from './vocab';

export interface Cte {
  alias: string;
  /** ref() target. */
  ref: string;
  /** Aggregated CTE: select lines and the key it groups by; absent = `select * from ref`. */
  agg?: { key: string; lines: string[] };
  /** Incremental filter placed in this CTE. */
  incremental?: boolean;
}

export interface SelectSpec {
  ctes: Cte[];
  from: string;
  joins: { alias: string; on: string }[];
  columns: Column[];
  groupBy?: string;
}

export interface SelectInput {
  kind: ModelKind;
  entity: Model['entity'];
  primary: Model;
  secondaries: Model[];
  seeds: SeedSpec[];
  /** Grouping dimension for agg models. */
  dimension?: string;
  /** Time grain of daily/weekly/monthly models. */
  period?: 'day' | 'week' | 'month';
  macros: Set<string>;
  want: number;
}

export function aliasOf(name: string): string {
  return name.replace(/^stg_[a-z0-9_]+?__/, '').replace(/^(int|fct|dim|rpt|agg)_/, '');
}

/** Builds the select; `input.secondaries` may be narrowed (marts that change grain join nothing). */
export function buildSelect(rng: Rng, input: SelectInput): SelectSpec {
  const aliases = new Set<string>(['final']);
  const alias = (name: string) => {
    let a = aliasOf(name);
    for (let k = 2; aliases.has(a); k++) a = `${aliasOf(name)}_${k}`;
    aliases.add(a);
    return a;
  };
  const pa = alias(input.primary.name);
  const spec: SelectSpec = { ctes: [{ alias: pa, ref: input.primary.name }], from: pa, joins: [], columns: [] };
  if (input.kind === 'daily' || input.kind === 'agg') return grouped(rng, input, spec, pa);
  return sameGrain(rng, input, spec, pa, alias);
}

/** int/fct/dim/rpt: one row per primary row, enriched by joins. */
function sameGrain(rng: Rng, input: SelectInput, spec: SelectSpec, pa: string, alias: (n: string) => string): SelectSpec {
  const { primary, entity } = input;
  const pcols = primary.columns.filter(c => c.role !== 'meta');
  const pk = pcols.find(c => c.role === 'pk');
  const early: Column[] = [];
  const late: Column[] = [];
  const has = (n: string) => pcols.some(c => c.name === n);
  if (pk) early.push(inherit(pk, pa, `Primary key of the ${entity.words}.`));
  for (const c of pcols.filter(c => c.role === 'fk')) early.push(inherit(c, pa));
  for (const s of input.secondaries) {
    const sa = alias(s.name);
    if (s.pk && has(s.pk)) early.push(...dimensionJoin(rng, spec, pa, sa, s, has));
    else if (pk) early.push(...aggregateJoin(input, spec, pa, sa, s, pk.name));
  }
  for (const seed of input.seeds) {
    const key = seed.header[0];
    if (!has(key)) continue;
    const sa = alias(seed.name);
    spec.ctes.push({ alias: sa, ref: seed.name });
    spec.joins.push({ alias: sa, on: `${pa}.${key} = ${sa}.${key}` });
    const col = seed.header[2] ?? seed.header[1];
    early.push(column(col, 'varchar', 'attr', `${sa}.${col}`, `${words(col)} looked up in the ${seed.name} seed.`));
  }
  early.push(...extras(input, pa, has));
  for (const c of pcols) if (c.role !== 'pk' && c.role !== 'fk') late.push(statusMapped(rng, input, inherit(c, pa), pa));
  const all = dedupe([...early, ...late]);
  spec.columns = pickColumns(rng, all, input.want, i => flag(entity.singular, i, pa, has('created_at')));
  return spec;
}

function dimensionJoin(rng: Rng, spec: SelectSpec, pa: string, sa: string, s: Model, has: (n: string) => boolean): Column[] {
  spec.ctes.push({ alias: sa, ref: s.name });
  spec.joins.push({ alias: sa, on: `${pa}.${s.pk} = ${sa}.${s.pk}` });
  const attrs = s.columns.filter(c => c.role === 'attr' || c.role === 'status');
  return rng.sample(attrs, rng.int(1, 2)).map(c => {
    const name = c.name.startsWith(s.entity.singular) ? c.name : `${s.entity.singular}_${c.name}`;
    return { ...inherit(c, sa), name, expr: `${sa}.${c.name}`, description: `${c.description} Taken from ${s.name}.`, tests: [] };
  }).filter(c => !has(c.name));
}

function aggregateJoin(input: SelectInput, spec: SelectSpec, pa: string, sa: string, s: Model, key: string): Column[] {
  const se = s.entity;
  const lines = [key, `count(*) as ${se.plural}_count`];
  const out: Column[] = [column(`${se.plural}_count`, 'integer', 'measure', `coalesce(${sa}.${se.plural}_count, 0)`,
    `Number of ${se.words} records for the ${input.entity.words}.`)];
  const measure = s.columns.find(c => c.role === 'measure' && c.type === 'numeric' && !c.name.startsWith('average_'));
  if (measure) {
    const base = measure.name.replace(/^(total|average)_/, '');
    const total = base.startsWith(se.singular) ? `total_${base}` : `total_${se.singular}_${base}`;
    lines.push(`sum(${measure.name}) as ${total}`);
    out.push(column(total, 'numeric', 'measure', `${sa}.${total}`, `Sum of ${words(measure.name)} over the ${input.entity.words}'s ${se.words} records.`));
    const avg = total.replace(/^total_/, 'average_');
    const avgExpr = use(input, 'safe_divide') ? `{{ safe_divide('${sa}.${total}', '${sa}.${se.plural}_count') }}` : `${sa}.${total} / nullif(${sa}.${se.plural}_count, 0)`;
    out.push(column(avg, 'numeric', 'measure', avgExpr, `Average ${words(measure.name)} per ${se.words} for the ${input.entity.words}.`));
  }
  const ts = s.columns.find(c => c.role === 'ts');
  if (ts) {
    const last = `last_${se.singular}_${ts.name}`;
    lines.push(`max(${ts.name}) as ${last}`);
    out.push(column(last, ts.type, 'ts', `${sa}.${last}`, `Most recent ${words(ts.name)} among the ${input.entity.words}'s ${se.words} records.`));
  }
  spec.ctes.push({ alias: sa, ref: s.name, agg: { key, lines } });
  spec.joins.push({ alias: sa, on: `${pa}.${key} = ${sa}.${key}` });
  return out;
}

/** Derived columns most marts carry. */
function extras(input: SelectInput, pa: string, has: (n: string) => boolean): Column[] {
  const e = input.entity;
  const out: Column[] = [];
  if (has('created_at')) {
    const expr = use(input, 'days_between') ? `{{ days_between('${pa}.created_at', 'current_date') }}` : `datediff('day', ${pa}.created_at, current_date)`;
    out.push(column(`${e.singular}_age_days`, 'integer', 'measure', expr, `Days since the ${e.words} was created.`));
  }
  if (has('country_code') && use(input, 'country_to_region')) {
    out.push(column('country_region', 'varchar', 'attr', `{{ country_to_region('${pa}.country_code') }}`, `Sales region derived from the ${e.words}'s country code.`));
  }
  if (has('email') && use(input, 'hash_pii')) {
    out.push(column('email_hash', 'varchar', 'attr', `{{ hash_pii('${pa}.email') }}`, 'MD5 hash of the normalized email, for joins without exposing PII.'));
  }
  if (input.kind !== 'int') out.push(column('dbt_updated_at', 'timestamp', 'meta', 'current_timestamp', 'When dbt last built this row.'));
  return out;
}

/** daily/agg: one row per day (or per dimension and month). */
function grouped(rng: Rng, input: SelectInput, spec: SelectSpec, pa: string): SelectSpec {
  const { primary, entity } = input;
  const ts = timeColumn(primary.columns, ['created_at', 'event_at', 'paid_at', 'processed_at'])!;
  const keys: Column[] = [];
  if (input.kind === 'agg') {
    keys.push(column(input.dimension!, 'varchar', 'attr', `${pa}.${input.dimension}`, `${words(input.dimension!)} the ${entity.words} records are grouped by.`));
    keys.push(column('date_month', 'date', 'ts', `date_trunc('month', ${pa}.${ts.name})`, `Month of the ${entity.words}'s ${words(ts.name)}.`));
  } else {
    const period = input.period ?? 'day';
    keys.push(column(`date_${period}`, 'date', 'pk', `date_trunc('${period}', ${pa}.${ts.name})`,
      `Calendar ${period} of the ${entity.words}'s ${words(ts.name)}; the key of this model.`));
  }
  const measures: Column[] = [column(`${entity.plural}_count`, 'integer', 'measure', 'count(*)', `Number of ${entity.words} records in the period.`)];
  for (const m of primary.columns.filter(c => c.role === 'measure' && !/^(average_|.*_age_days$)/.test(c.name))) {
    const name = m.name.startsWith('total_') ? m.name : `total_${m.name}`;
    measures.push(column(name, m.type, 'measure', `sum(${pa}.${m.name})`, `Sum of ${words(m.name)} in the period.`));
  }
  const status = primary.columns.find(c => c.role === 'status' && c.values);
  for (const v of status?.values?.slice(0, 3) ?? []) {
    measures.push(column(`${v}_${entity.plural}_count`, 'integer', 'measure',
      `sum(case when ${pa}.${status!.name} = '${v}' then 1 else 0 end)`, `Number of ${entity.words} records with ${status!.name} '${v}'.`));
  }
  for (const fk of primary.columns.filter(c => c.role === 'fk')) {
    const target = fk.name.replace(/_id$/, '');
    measures.push(column(`distinct_${target}_count`, 'integer', 'measure', `count(distinct ${pa}.${fk.name})`, `Distinct ${words(target)} records in the period.`));
  }
  spec.columns = [...keys, ...pickColumns(rng, dedupe(measures), input.want - keys.length,
    i => column(`flagged_${entity.plural}_count_${i}`, 'integer', 'measure', `sum(case when ${pa}.is_deleted then 1 else 0 end)`, `Number of flagged ${entity.words} records (rule ${i}).`))];
  spec.groupBy = input.kind === 'agg' ? '1, 2' : '1';
  return spec;
}

/** `want` columns (at least 3): all needed ones first, padded by `fill` when the inputs are too narrow. */
/** The first of the preferred time columns the model has, else any. */
export function timeColumn(cols: Column[], prefer: string[]): Column | undefined {
  const ts = cols.filter(c => c.role === 'ts');
  return prefer.map(p => ts.find(c => c.name === p)).find(Boolean) ?? ts[0];
}

function pickColumns(rng: Rng, all: Column[], want: number, fill: (i: number) => Column): Column[] {
  const n = Math.max(want, Math.min(all.length, Math.max(3, want + rng.int(0, 3))));
  const out = all.slice(0, n);
  for (let i = 1; out.length < n; i++) out.push(fill(i));
  return out;
}

function flag(singular: string, i: number, pa: string, hasCreated: boolean): Column {
  const cond = hasCreated ? `${pa}.created_at >= dateadd('day', -${30 * i}, current_date)` : 'false';
  return column(`is_recent_${singular}_${30 * i}d`, 'boolean', 'attr', cond, `True when the ${singular.replace(/_/g, ' ')} was created in the last ${30 * i} days.`);
}

function statusMapped(rng: Rng, input: SelectInput, c: Column, pa: string): Column {
  const m = c.valuesDomain && `map_${c.valuesDomain}_status`;
  if (!m || c.role !== 'status' || input.kind !== 'int' || !input.macros.has(m) || !rng.chance(0.3)) return c;
  return { ...c, expr: `{{ ${m}('${pa}.${c.name}') }}` };
}

function inherit(c: Column, alias: string, description = c.description): Column {
  return { ...c, expr: `${alias}.${c.name}`, description, tests: [] };
}

function column(name: string, type: string, role: Column['role'], expr: string, description: string): Column {
  return { name, type, role, expr, description, tests: [] };
}

function dedupe(cols: Column[]): Column[] {
  const seen = new Set<string>();
  return cols.filter(c => !seen.has(c.name) && seen.add(c.name));
}

function use(input: SelectInput, macro: string): boolean {
  return input.macros.has(macro);
}

function words(name: string): string {
  return name.replace(/_/g, ' ');
}
