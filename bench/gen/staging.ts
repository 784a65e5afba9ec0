// Staging models: one per source table, renaming and casting the raw columns.
import type { Rng } from './random';
import type { Column, Model, RawColumn, SourceTable, TestSpec } from './plan';

/** The staging model of a source table (SQL is rendered later, once every model exists). */
export function stagingModel(rng: Rng, t: SourceTable, index: number, documented: number, macros: Set<string>): Model {
  const name = `stg_${t.source.name}__${t.table}`;
  const folder = `models/staging/${t.source.name}`;
  const columns = t.raw.map(r => stagingColumn(rng, r, t, macros));
  return {
    index, name, layer: 'staging', kind: 'stg', domain: t.domain, folder, path: `${folder}/${name}.sql`,
    entity: t.entity, pk: `${t.entity.singular}_id`, grain: `one row per ${t.entity.words}`,
    description: `Staged ${t.source.system.title} ${t.entity.plural.replace(/_/g, ' ')}: renamed, cast and cleaned from ` +
      `the raw ${t.source.name}.${t.table} table. One row per ${t.entity.words}.`,
    refs: [], seedRefs: [], source: t, columns, documented: Math.min(documented, columns.length),
    tags: [t.source.name], macros: [], sql: '',
    formerPath: `${folder}/stg_${t.source.name}_${t.table}.sql`,
  };
}

function stagingColumn(rng: Rng, r: RawColumn, t: SourceTable, macros: Set<string>): Column {
  const call = (m: string, arg: string, fallback: string) => (macros.has(m) ? `{{ ${m}('${arg}') }}` : fallback);
  let expr = r.raw;
  switch (r.transform) {
    case 'cents': expr = call('cents_to_dollars', r.raw, `${r.raw} / 100.0`); break;
    case 'micros': expr = call('micros_to_dollars', r.raw, `${r.raw} / 1000000.0`); break;
    case 'email': expr = call('normalize_email', r.raw, `lower(trim(${r.raw}))`); break;
    case 'clean': expr = call('clean_string', r.raw, `nullif(trim(${r.raw}), '')`); break;
    case 'ts': expr = t.source.system.loader === 'stitch' ? call('to_utc', r.raw, `cast(${r.raw} as timestamp)`) : `cast(${r.raw} as timestamp)`; break;
    case 'trim': expr = `trim(${r.raw})`; break;
    case 'upper': expr = `upper(${r.raw})`; break;
    case 'lower': expr = `lower(${r.raw})`; break;
    default: expr = r.type === 'boolean' ? `coalesce(${r.raw}, false)` : r.raw;
  }
  const description = r.role === 'pk' ? `Primary key of the ${t.entity.words}, from ${t.source.system.title}'s id.` : r.description;
  return {
    name: r.clean, type: r.type, description, role: r.role, expr: expr === r.clean ? '' : expr,
    values: r.values, valuesDomain: r.valuesDomain, tests: stagingTests(rng, r),
  };
}

function stagingTests(rng: Rng, r: RawColumn): TestSpec[] {
  if (r.role === 'pk') return [{ kind: 'unique' }, { kind: 'not_null' }];
  if (r.role === 'status' && r.values && rng.chance(0.5)) return [{ kind: 'accepted_values', values: r.values }];
  if (r.role === 'fk' && rng.chance(0.3)) return [{ kind: 'not_null' }];
  return [];
}
