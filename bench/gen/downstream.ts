// Intermediate and mart models: a DAG over the staging models with fan-in 1-5 and a few deep chains.
import type { Rng } from './random';
import type { Model, ModelKind } from './plan';
import { buildSelect, timeColumn, type SelectSpec } from './select';
import { DOMAINS, INT_PATTERNS, MART_PATTERNS, NOT_DIMENSIONS, type Domain, type SeedSpec } from './vocab';

export interface DownstreamOptions {
  intermediate: number;
  marts: number;
  /** Documented column count per downstream model, in order. */
  documented: number[];
  macros: Set<string>;
  seeds: SeedSpec[];
}

export interface DownstreamModel extends Model {
  select: SelectSpec;
}

const FAN_IN_WEIGHTS = [35, 30, 18, 10, 7];

export function planDownstream(rng: Rng, staging: Model[], opts: DownstreamOptions): DownstreamModel[] {
  const total = opts.intermediate + opts.marts;
  const domainWeights = DOMAINS.map(d => staging.filter(m => m.domain === d).length);
  const chains = planChains(rng, total, () => DOMAINS[rng.weighted(domainWeights)]);
  const names = new Set(staging.map(m => m.name));
  const all: Model[] = [...staging];
  const out: DownstreamModel[] = [];
  for (let p = 0; p < total; p++) {
    const link = chains.get(p);
    const layer = p < opts.intermediate ? 'intermediate' : 'marts';
    const domain = link?.domain ?? DOMAINS[rng.weighted(domainWeights)];
    const primary = link && link.prev >= 0 ? out[link.prev] : pickPrimary(rng, all, layer, domain);
    const m = buildModel(rng, { p, layer, domain, primary, chained: !!link, all, names, opts, index: all.length });
    all.push(m);
    out.push(m);
  }
  return out;
}

/** Position -> chain link: a few chains of 10-14 models, each member refs the previous one. */
function planChains(rng: Rng, total: number, domain: () => Domain): Map<number, { prev: number; domain: Domain }> {
  const count = total < 4 ? 0 : total < 30 ? 1 : total < 300 ? 3 : 5;
  const free = Array.from({ length: total }, (_, i) => i);
  const links = new Map<number, { prev: number; domain: Domain }>();
  for (let c = 0; c < count; c++) {
    const length = Math.min(rng.int(10, 14), free.length);
    const members = rng.sample(free, length).sort((a, b) => a - b);
    const d = domain();
    members.forEach((pos, i) => links.set(pos, { prev: i ? members[i - 1] : -1, domain: d }));
    for (const pos of members) free.splice(free.indexOf(pos), 1);
  }
  return links;
}

/** Models keep their input's grain unless they are daily/agg marts; only grain-keeping models feed others. */
function keepsGrain(m: Model): boolean {
  return m.kind !== 'daily' && m.kind !== 'agg' && !!m.pk;
}

function pickPrimary(rng: Rng, all: Model[], layer: string, domain: Domain): Model {
  const of = (pred: (m: Model) => boolean) => all.filter(m => keepsGrain(m) && pred(m));
  const stg = of(m => m.layer === 'staging' && m.domain === domain);
  const ints = of(m => m.layer === 'intermediate' && m.domain === domain);
  const marts = of(m => m.layer === 'marts' && m.domain === domain && (m.kind === 'dim' || m.kind === 'fct'));
  const r = rng.next();
  const choice = layer === 'intermediate'
    ? (ints.length && r < 0.55 ? ints : stg)
    : (ints.length && r < 0.7 ? ints : marts.length && r < 0.9 ? marts : stg);
  const list = choice.length ? choice : stg.length ? stg : of(m => m.layer === 'staging');
  return list[0]?.layer === 'staging' ? rng.pick(list) : recentBiased(rng, list);
}

/** Later items are likelier: recent models are the ones being built upon. */
function recentBiased<T>(rng: Rng, list: T[]): T {
  const u = rng.next();
  return list[Math.min(list.length - 1, Math.floor(list.length * (1 - u * u)))];
}

interface BuildArgs {
  p: number;
  layer: 'intermediate' | 'marts';
  domain: Domain;
  primary: Model;
  chained: boolean;
  all: Model[];
  names: Set<string>;
  opts: DownstreamOptions;
  index: number;
}

function buildModel(rng: Rng, a: BuildArgs): DownstreamModel {
  const { primary, domain } = a;
  const ts = primary.columns.find(c => c.role === 'ts');
  const dims = primary.columns.filter(c => (c.role === 'status' || c.role === 'attr') && c.type === 'varchar' && !NOT_DIMENSIONS.test(c.name)).map(c => c.name);
  // Drawn inside name attempts, so held in an object the closure may update.
  const shape: { kind: ModelKind; dimension?: string } = { kind: 'int' };
  let secondaries: Model[] = [];
  let name: string;
  if (a.layer === 'marts') {
    const options = MART_PATTERNS.filter(mp => (mp.kind !== 'daily' || ts) && (mp.kind !== 'agg' || (ts && dims.length)) &&
      (!a.chained || ['fct', 'dim', 'rpt'].includes(mp.kind)));
    name = uniqueName(rng, a.names, () => {
      const mp = rng.pick(options);
      shape.kind = mp.kind;
      shape.dimension = mp.kind === 'agg' ? rng.pick(dims) : undefined;
      return martName(mp.pattern, primary, shape.dimension);
    });
    if (shape.kind !== 'daily' && shape.kind !== 'agg') secondaries = pickSecondaries(rng, a);
  } else {
    secondaries = pickSecondaries(rng, a);
    name = uniqueName(rng, a.names, () => intName(rng, primary, secondaries, !!ts && !a.chained));
    if (/_daily$/.test(name) && ts) shape.kind = 'daily';
  }
  const { kind, dimension } = shape;
  a.names.add(name);
  const seeds = kind === 'int' || kind === 'fct' || kind === 'dim'
    ? a.opts.seeds.filter(s => s.domains.includes(domain) && primary.columns.some(c => c.name === s.header[0]) && rng.chance(0.3))
    : [];
  const want = a.opts.documented[a.p];
  const period = /_monthly$/.test(name) ? 'month' : /_weekly$/.test(name) ? 'week' : 'day';
  const select = buildSelect(rng, { kind, entity: primary.entity, primary, secondaries, seeds, dimension, period, macros: a.opts.macros, want });
  const refs = select.ctes.map(c => c.ref).filter(r => !a.opts.seeds.some(s => s.name === r));
  const folder = `models/${a.layer}/${domain}`;
  const pk = select.columns.find(c => c.role === 'pk')?.name;
  const m: DownstreamModel = {
    index: a.index, name, layer: a.layer, kind, domain, folder, path: `${folder}/${name}.sql`, entity: primary.entity, pk,
    grain: grainOf(kind, primary, dimension, period), description: '', refs, seedRefs: select.ctes.map(c => c.ref).filter(r => !refs.includes(r)),
    columns: select.columns, documented: Math.min(want, select.columns.length), tags: [], macros: [], sql: '', select,
    formerPath: `models/${a.layer}/${name}.sql`,
    combinationKey: kind === 'agg' ? [dimension!, 'date_month'] : undefined,
  };
  m.description = describe(m, primary, secondaries);
  chooseMaterialization(rng, m, primary);
  return m;
}

/** Hub domains other domains join to (a ticket joins customers, rarely inventory). */
const HUBS: Domain[] = ['customers', 'products', 'orders', 'payments'];

/** Related models first: children holding the primary's key, parents whose key the primary holds. */
function pickSecondaries(rng: Rng, a: BuildArgs): Model[] {
  const want = rng.weighted(FAN_IN_WEIGHTS);
  const p = a.primary;
  const pool = a.all.filter(m => m !== p && keepsGrain(m) && m.entity.singular !== p.entity.singular);
  const related = pool.filter(m => m.columns.some(c => c.name === p.pk) || p.columns.some(c => c.name === m.pk));
  const near = pool.filter(m => m.domain === a.domain || HUBS.includes(m.domain));
  const out: Model[] = [];
  for (let i = 0; i < want * 3 && out.length < want; i++) {
    const list = related.length && rng.chance(0.75) ? related : near.length ? near : pool;
    if (!list.length) break;
    const s = rng.chance(0.5) ? rng.pick(list) : recentBiased(rng, list);
    if (!out.includes(s) && !out.some(o => o.entity.singular === s.entity.singular)) out.push(s);
  }
  return out;
}

function intName(rng: Rng, primary: Model, secondaries: Model[], hasTs: boolean): string {
  const patterns = INT_PATTERNS.filter(p => (!p.includes('{o}') || secondaries.length) && (p !== 'daily' || hasTs));
  const p = rng.pick(patterns);
  const other = secondaries.length ? secondaries[0].entity.plural : '';
  return `int_${primary.entity.plural}_${p.replace('{o}', other)}`;
}

function martName(pattern: string, primary: Model, dimension?: string): string {
  return pattern.replace('{p}', primary.entity.plural).replace('{d}', dimension ?? '');
}

/** Tries a few draws, then numbers the name: `int_orders_joined_v2`. */
function uniqueName(rng: Rng, used: Set<string>, draw: () => string): string {
  let name = draw();
  for (let i = 0; i < 8 && used.has(name); i++) name = draw();
  const base = name;
  for (let k = 2; used.has(name); k++) name = `${base}_v${k}`;
  return name;
}

function grainOf(kind: ModelKind, primary: Model, dimension: string | undefined, period: string): string {
  if (kind === 'daily') return `one row per ${period}`;
  if (kind === 'agg') return `one row per ${dimension!.replace(/_/g, ' ')} per month`;
  return `one row per ${primary.entity.words}`;
}

function describe(m: Model, primary: Model, secondaries: Model[]): string {
  const P = cap(primary.entity.plural.replace(/_/g, ' '));
  const others = secondaries.map(s => s.name).join(', ');
  const grain = ` Grain: ${m.grain}.`;
  switch (m.kind) {
    case 'fct': return `Fact table of ${m.entity.words} records built from ${primary.name}${others ? ` and ${others}` : ''}. Source of truth for ${m.domain.replace(/_/g, ' ')} reporting.${grain}`;
    case 'dim': return `Dimension of ${m.entity.words} records with their current attributes${others ? `, enriched from ${others}` : ''}.${grain}`;
    case 'rpt': return `Summary of ${m.entity.words} records for the ${m.domain.replace(/_/g, ' ')} team's weekly review.${grain}`;
    case 'daily': return `${cap(m.grain.replace('one row per ', ''))}ly ${m.entity.words} metrics aggregated from ${primary.name}.${grain}`.replace('Dayly', 'Daily');
    case 'agg': return `${P} aggregated by ${m.combinationKey![0].replace(/_/g, ' ')} and month from ${primary.name}.${grain}`;
    default: return `${P} from ${primary.name}, ${intVerb(m.name)}.${others ? ` Joins ${others}.` : ''}${grain}`;
  }
}

function intVerb(name: string): string {
  const verbs: [RegExp, string][] = [
    [/_deduplicated/, 'deduplicated on the primary key keeping the latest update'], [/_unioned/, 'unioned across regional instances'],
    [/_(cleaned|normalized)/, 'with normalized values'], [/_filtered/, 'without test, internal and soft-deleted records'],
    [/_ranked/, 'with a sequence number per parent record'], [/_latest/, 'reduced to the latest state of each record'],
    [/_history/, 'with the full change history'], [/_scored/, 'with a health score'], [/_mapped/, 'mapped to reporting categories'],
    [/_attributed/, 'with marketing attribution applied'], [/_sessionized/, 'grouped into sessions'],
    [/_currency_converted/, 'converted to USD'], [/_pivoted_to_/, 'pivoted to one row per record'],
    [/_aggregated_to_/, 'with aggregated totals'], [/_enriched/, 'enriched'], [/_daily/, 'rolled up per day'],
  ];
  return verbs.find(([re]) => re.test(name))?.[1] ?? 'joined';
}

function chooseMaterialization(rng: Rng, m: DownstreamModel, primary: Model): void {
  const ts = timeColumn(primary.columns.filter(c => m.columns.some(o => o.name === c.name)), ['updated_at', 'created_at', 'event_at']);
  const canIncrement = !!m.pk && (m.kind === 'daily' || !!ts);
  const r = rng.next();
  if (m.layer === 'intermediate') {
    m.materialized = r < 0.45 ? undefined : r < 0.7 ? 'view' : r < 0.88 || !canIncrement ? 'table' : 'incremental';
  } else {
    m.materialized = r < 0.55 ? undefined : r < 0.8 && canIncrement ? 'incremental' : 'table';
    if (rng.chance(0.3)) m.tags.push(m.domain);
  }
  if (m.materialized !== 'incremental') return;
  const tsName = m.kind === 'daily' ? timeColumn(primary.columns, ['created_at', 'event_at', 'paid_at', 'processed_at'])!.name : ts!.name;
  m.incremental = { uniqueKey: m.pk!, ts: tsName };
  m.select.ctes[0].incremental = true;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

