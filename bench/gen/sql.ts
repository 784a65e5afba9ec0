// Renders model SQL in the dbt style guide's shape: config, import CTEs, logic CTEs, `select * from final`.
import type { Rng } from './random';
import type { Column, Model } from './plan';
import type { SelectSpec } from './select';

const IND = '        ';

export function stagingSql(rng: Rng, m: Model, macros: Set<string>): string {
  const t = m.source!;
  const cols = m.columns.map(c => {
    const raw = t.raw.find(r => r.clean === c.name)!;
    return c.expr ? `${c.expr} as ${c.name}` : raw.raw === c.name ? c.name : `${raw.raw} as ${c.name}`;
  });
  const created = t.raw.find(r => r.clean === 'created_at');
  let where = '';
  if (t.source.system.loader === 'fivetran' && rng.chance(0.3)) where = '    where not coalesce(_fivetran_deleted, false)\n';
  else if (created && macros.has('limit_data_in_dev') && rng.chance(0.25)) where = `    {{ limit_data_in_dev('${created.raw}') }}\n`;
  const config = rng.chance(0.08) ? "{{ config(materialized='table') }}\n\n" : '';
  return `${config}with source as (\n\n    select * from {{ source('${t.source.name}', '${t.table}') }}\n\n),\n\n` +
    `renamed as (\n\n    select\n${selectList(cols)}\n\n    from source\n${where}\n)\n\nselect * from renamed\n`;
}

export function downstreamSql(m: Model, spec: SelectSpec): string {
  const parts: string[] = [];
  const config = configBlock(m);
  if (config) parts.push(config, '');
  parts.push('with');
  parts.push('');
  const ctes = spec.ctes.map(c => {
    if (c.agg) {
      return `${c.alias} as (\n\n    select\n${selectList(c.agg.lines)}\n    from {{ ref('${c.ref}') }}\n    group by 1\n\n)`;
    }
    const inc = c.incremental && m.incremental ? incrementalFilter(m) : '';
    return `${c.alias} as (\n\n    select * from {{ ref('${c.ref}') }}\n${inc}\n)`;
  });
  const joins = spec.joins.map(j => `    left join ${j.alias}\n        on ${j.on}`).join('\n');
  const group = spec.groupBy ? `\n    group by ${spec.groupBy}` : '';
  const finalCte = `final as (\n\n    select\n${selectList(spec.columns.map(columnLine))}\n\n    from ${spec.from}` +
    `${joins ? '\n' + joins : ''}${group}\n\n)`;
  parts.push([...ctes, finalCte].join(',\n\n'));
  parts.push('');
  parts.push('select * from final');
  return parts.join('\n') + '\n';
}

function columnLine(c: Column): string {
  const plain = c.expr.split('.').pop();
  return !c.expr || c.expr === c.name ? c.name : plain === c.name && !c.expr.includes('(') ? c.expr : `${c.expr} as ${c.name}`;
}

function incrementalFilter(m: Model): string {
  const { ts } = m.incremental!;
  const out = m.kind === 'daily' ? m.pk! : ts;
  return `    {% if is_incremental() %}\n    where ${ts} > (select max(${out}) from {{ this }})\n    {% endif %}\n`;
}

function configBlock(m: Model): string {
  const args: string[] = [];
  if (m.materialized) args.push(`materialized='${m.materialized}'`);
  if (m.incremental) {
    args.push(`unique_key='${m.incremental.uniqueKey}'`, "incremental_strategy='merge'", "on_schema_change='append_new_columns'");
  }
  if (m.tags.length) args.push(`tags=[${m.tags.map(t => `'${t}'`).join(', ')}]`);
  if (!args.length) return '';
  if (args.length === 1) return `{{ config(${args[0]}) }}`;
  return `{{\n    config(\n${args.map(a => `        ${a}`).join(',\n')}\n    )\n}}`;
}

function selectList(lines: string[]): string {
  return lines.map((l, i) => `${IND}${l}${i < lines.length - 1 ? ',' : ''}`).join('\n');
}

/** A singular test: rows returned are failures. */
export function singularTestSql(model: Model, column: string): string {
  return `-- Fails when ${model.name} has a negative ${column.replace(/_/g, ' ')}.\n\nselect\n    ${model.pk ?? '*'},\n    ${column}\n` +
    `from {{ ref('${model.name}') }}\nwhere ${column} < 0\n`;
}
