// The project's macros: a fixed core that models call, then per-domain helpers until the requested count.
import { DOMAINS, STATUS_VALUES } from './vocab';

export interface MacroDef {
  name: string;
  /** File under macros/. */
  file: string;
  description: string;
  args: { name: string; description: string }[];
  body: string;
}

const CORE: MacroDef[] = [
  macro('cents_to_dollars', 'utils', 'Converts an integer amount in cents to a decimal amount.', ['column_name', 'scale=2'],
    '    ({{ column_name }} / 100)::numeric(16, {{ scale }})'),
  macro('micros_to_dollars', 'utils', 'Converts ad-platform micros (1/1,000,000 of a unit) to a decimal amount.', ['column_name'],
    '    ({{ column_name }} / 1000000.0)::numeric(18, 4)'),
  macro('safe_divide', 'utils', 'Divides two expressions, returning null instead of failing on a zero denominator.', ['numerator', 'denominator'],
    '    case\n        when {{ denominator }} is null or {{ denominator }} = 0 then null\n        else {{ numerator }} * 1.0 / {{ denominator }}\n    end'),
  macro('normalize_email', 'utils', 'Lower-cases and trims an email address; empty strings become null.', ['column_name'],
    "    nullif(lower(trim({{ column_name }})), '')"),
  macro('clean_string', 'utils', 'Trims a string and turns empty strings into null.', ['column_name'],
    "    nullif(trim({{ column_name }}), '')"),
  macro('to_utc', 'utils', 'Casts a timestamp to UTC from the source system timezone.', ['column_name', "source_tz='UTC'"],
    "    convert_timezone('{{ source_tz }}', 'UTC', cast({{ column_name }} as timestamp))"),
  macro('limit_data_in_dev', 'utils', 'Limits a model to the last few days of data when running against the dev target.', ['column_name', 'dev_days_of_data=3'],
    "    {% if target.name == 'dev' %}\n    where {{ column_name }} >= dateadd('day', -{{ dev_days_of_data }}, current_timestamp)\n    {% endif %}"),
  macro('days_between', 'utils', 'Whole days between two dates or timestamps.', ['start_column', 'end_column'],
    "    datediff('day', {{ start_column }}, {{ end_column }})"),
  macro('generate_schema_name', 'overrides', 'Uses the custom schema as is in prod and prefixes it with the target schema elsewhere.', ['custom_schema_name', 'node'],
    "    {%- set default_schema = target.schema -%}\n    {%- if custom_schema_name is none -%}\n        {{ default_schema }}\n    {%- elif target.name == 'prod' -%}\n        {{ custom_schema_name | trim }}\n    {%- else -%}\n        {{ default_schema }}_{{ custom_schema_name | trim }}\n    {%- endif -%}"),
  macro('fiscal_quarter', 'finance', 'Fiscal quarter label (FY2024-Q1) for a date; the fiscal year starts in February.', ['date_column'],
    "    'FY' || extract(year from dateadd('month', 11, {{ date_column }})) || '-Q' || ceil(extract(month from dateadd('month', -1, {{ date_column }})) / 3.0)"),
  macro('fiscal_year', 'finance', 'Fiscal year of a date; the fiscal year starts in February.', ['date_column'],
    "    extract(year from dateadd('month', 11, {{ date_column }}))"),
  macro('country_to_region', 'utils', 'Maps an ISO country code to a sales region.', ['country_column'],
    "    case\n        when {{ country_column }} in ('US', 'CA') then 'NA'\n        when {{ country_column }} in ('BR', 'MX', 'AR') then 'LATAM'\n        when {{ country_column }} in ('AU', 'JP', 'IN', 'SG') then 'APAC'\n        else 'EMEA'\n    end"),
  macro('hash_pii', 'utils', 'Hashes a PII column so it can be joined on without exposing it.', ['column_name'],
    "    md5(lower(trim(cast({{ column_name }} as varchar))))"),
  macro('grant_select', 'overrides', 'Grants select on a relation to the reporting role; called from post-hooks.', ['relation', "role='reporter'"],
    '    grant select on {{ relation }} to role {{ role }}'),
  macro('test_is_positive', 'tests', 'Generic test: fails for rows where the column is negative.', ['model', 'column_name'],
    '', 'test'),
  macro('test_not_in_future', 'tests', 'Generic test: fails for timestamps later than now plus one day.', ['model', 'column_name'],
    '', 'test'),
  macro('audit_columns', 'utils', 'Columns every mart carries: build time and invocation id.', [],
    "    current_timestamp as dbt_updated_at,\n    '{{ invocation_id }}' as dbt_invocation_id"),
  macro('boolean_from_string', 'utils', "Parses 'true'/'yes'/'1' strings into booleans.", ['column_name'],
    "    lower(trim({{ column_name }})) in ('true', 'yes', 'y', '1')"),
  macro('date_spine_days', 'utils', 'A day-grain date spine between two dates.', ['start_date', 'end_date'],
    "    {{ dbt_utils.date_spine(datepart='day', start_date=start_date, end_date=end_date) }}"),
  macro('log_run_results', 'hooks', 'Logs a summary of the run; used as an on-run-end hook.', ['results'],
    "    {% if execute %}\n    {% for res in results %}\n        {{ log(res.node.unique_id ~ ' ' ~ res.status, info=True) }}\n    {% endfor %}\n    {% endif %}"),
  macro('star_except', 'utils', 'Selects every column of a relation except the listed ones.', ['relation', 'except'],
    '    {{ dbt_utils.star(from=relation, except=except) }}'),
  macro('percent_of_total', 'utils', 'A column as a percentage of its total over the whole result.', ['column_name'],
    "    {{ safe_divide(column_name ~ ' * 100.0', 'sum(' ~ column_name ~ ') over ()') }}"),
  macro('deduplicate', 'utils', 'Keeps the latest row per key of a relation.', ['relation', 'partition_by', 'order_by'],
    '    select *\n    from {{ relation }}\n    qualify row_number() over (partition by {{ partition_by }} order by {{ order_by }}) = 1'),
  macro('json_field', 'utils', 'Extracts a text field from a JSON column.', ['column_name', 'field'],
    "    json_extract_path_text({{ column_name }}, '{{ field }}')"),
];

function macro(name: string, dir: string, description: string, args: string[], body: string, kind: 'macro' | 'test' = 'macro'): MacroDef {
  const argNames = args.map(a => a.split('=')[0]);
  const shown = kind === 'test' ? name.replace(/^test_/, '') : name;
  const text = kind === 'test' ? testBody(shown) : body;
  return {
    name, file: `macros/${dir}/${name}.sql`, description,
    args: argNames.map(a => ({ name: a, description: argDescription(a) })),
    body: `{% ${kind} ${shown}(${args.join(', ')}) %}\n${text}\n{% end${kind} %}\n`,
  };
}

function testBody(name: string): string {
  const cond = name === 'is_positive' ? '{{ column_name }} < 0' : "{{ column_name }} > dateadd('day', 1, current_timestamp)";
  return `\nselect *\nfrom {{ model }}\nwhere ${cond}\n`;
}

function argDescription(arg: string): string {
  if (arg.includes('column')) return 'Column or SQL expression to transform.';
  if (arg === 'relation' || arg === 'model') return 'The relation to read.';
  return `The ${arg.replace(/_/g, ' ')}.`;
}

function domainMacros(): MacroDef[] {
  const out: MacroDef[] = [];
  for (const d of DOMAINS) {
    const values = STATUS_VALUES[d];
    const cases = values.map(v => `        when lower({{ column_name }}) in ('${v}', '${v.toUpperCase()}') then '${v}'`).join('\n');
    out.push(macro(`map_${d}_status`, d, `Normalizes raw ${d.replace(/_/g, ' ')} status values to the canonical list: ${values.join(', ')}.`,
      ['column_name'], `    case\n${cases}\n        else 'unknown'\n    end`));
  }
  for (const d of DOMAINS) {
    out.push(macro(`is_valid_${d}_record`, d, `True for ${d.replace(/_/g, ' ')} rows that are not test data or soft-deleted.`,
      ['relation_alias'], "    not coalesce({{ relation_alias }}.is_deleted, false)\n    and coalesce({{ relation_alias }}.email, '') not like '%@example.com'"));
  }
  return out;
}

/** The first `count` macros (20-50): the core first, since models call those. */
export function selectMacros(count: number): MacroDef[] {
  const all = [...CORE, ...domainMacros()];
  return all.slice(0, Math.max(1, Math.min(count, all.length)));
}
