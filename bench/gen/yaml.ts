// Renders the project's YAML by hand (dbt's usual layout and quoting), so the text looks like a person wrote it.
import type { Column, Model, SourceDef, TestSpec } from './plan';
import type { MacroDef } from './macros';
import type { SeedSpec } from './vocab';

/** A scalar, quoted only when YAML needs it. */
export function q(s: string): string {
  const plain = /^[A-Za-z][A-Za-z0-9_ .,()'\/%-]*$/.test(s) && !/^(true|false|yes|no|null|on|off|y|n)$/i.test(s);
  if (plain) return s;
  if (!s.includes("'")) return `'${s}'`;
  return JSON.stringify(s);
}

function descLine(indent: string, description: string, docRef?: string): string {
  return `${indent}description: ${docRef ? `'{{ doc("${docRef}") }}'` : q(description)}`;
}

function testLines(indent: string, tests: TestSpec[]): string[] {
  if (!tests.length) return [];
  const out = [`${indent}data_tests:`];
  for (const t of tests) {
    switch (t.kind) {
      case 'accepted_values':
        out.push(`${indent}  - accepted_values:`, `${indent}      values: [${t.values.map(v => `'${v}'`).join(', ')}]`);
        break;
      case 'relationships':
        out.push(`${indent}  - relationships:`, `${indent}      to: ref('${t.to}')`, `${indent}      field: ${t.field}`);
        break;
      default:
        out.push(`${indent}  - ${t.kind}`);
    }
  }
  return out;
}

function columnLines(indent: string, cols: Column[], docRefs: Map<Column, string>): string[] {
  const out: string[] = [];
  for (const c of cols) {
    out.push(`${indent}- name: ${c.name}`);
    out.push(descLine(`${indent}  `, c.description, docRefs.get(c)));
    if (c.type === 'timestamp' || c.type === 'date') out.push(`${indent}  data_type: ${c.type}`);
    out.push(...testLines(`${indent}  `, c.tests));
  }
  return out;
}

export function sourcesYaml(s: SourceDef): string {
  const out = ['version: 2', '', 'sources:', `  - name: ${s.name}`,
    `    description: ${q(`Raw ${s.system.title} data loaded by ${s.system.loader}.`)}`,
    '    database: raw', `    schema: ${s.name}`, `    loader: ${s.system.loader}`, `    loaded_at_field: ${s.loadedAt}`,
    '    freshness:', '      warn_after: {count: 12, period: hour}', '      error_after: {count: 24, period: hour}', '    tables:'];
  for (const t of s.tables) {
    out.push(`      - name: ${t.table}`, `        description: ${q(t.description)}`);
    const cols = t.raw.slice(0, t.documented);
    if (!cols.length) continue;
    out.push('        columns:');
    for (const r of cols) {
      out.push(`          - name: ${r.raw}`, `            description: ${q(r.description)}`);
      if (r.role === 'pk') out.push(...testLines('            ', [{ kind: 'unique' }, { kind: 'not_null' }]));
    }
  }
  return out.join('\n') + '\n';
}

export function modelsYaml(models: Model[], docRefs: Map<Column, string>): string {
  const out = ['version: 2', '', 'models:'];
  models.forEach((m, i) => {
    if (i) out.push('');
    out.push(`  - name: ${m.name}`, `    description: ${q(m.description)}`);
    if (m.layer === 'marts' && m.index % 3 === 0) out.push('    meta:', `      owner: '@${m.domain.replace(/_/g, '-')}-analytics'`);
    if (m.combinationKey) {
      out.push('    data_tests:', '      - dbt_utils.unique_combination_of_columns:', '          combination_of_columns:',
        ...m.combinationKey.map(k => `            - ${k}`));
    }
    const cols = m.columns.slice(0, m.documented);
    if (cols.length) out.push('    columns:', ...columnLines('      ', cols, docRefs));
  });
  return out.join('\n') + '\n';
}

export function seedsYaml(seeds: SeedSpec[]): string {
  const out = ['version: 2', '', 'seeds:'];
  for (const s of seeds) {
    out.push(`  - name: ${s.name}`, `    description: ${q(s.description)}`);
    const bools = s.header.filter(h => h.startsWith('is_'));
    if (bools.length) out.push('    config:', '      column_types:', ...bools.map(b => `        ${b}: boolean`));
  }
  return out.join('\n') + '\n';
}

export function macrosYaml(macros: MacroDef[]): string {
  const out = ['version: 2', '', 'macros:'];
  for (const m of macros) {
    out.push(`  - name: ${m.name}`, `    description: ${q(m.description)}`);
    if (m.args.length) out.push('    arguments:', ...m.args.flatMap(a => [`      - name: ${a.name}`, `        description: ${q(a.description)}`]));
  }
  return out.join('\n') + '\n';
}

export interface ExposureDef {
  name: string;
  label: string;
  type: string;
  depends: string[];
  owner: { name: string; email: string };
  url: string;
  maturity: string;
}

export function exposuresYaml(exposures: ExposureDef[]): string {
  const out = ['version: 2', '', 'exposures:'];
  for (const e of exposures) {
    out.push(`  - name: ${e.name}`, `    label: ${q(e.label)}`, `    type: ${e.type}`, `    maturity: ${e.maturity}`, `    url: ${e.url}`,
      `    description: ${q(`${e.label}, built on ${e.depends.join(', ')}.`)}`, '    depends_on:',
      ...e.depends.map(d => `      - ref('${d}')`), '    owner:', `      name: ${q(e.owner.name)}`, `      email: ${e.owner.email}`);
  }
  return out.join('\n') + '\n';
}

export interface SemanticDef {
  model: Model;
  name: string;
  ts: string;
  foreign: string[];
  dimensions: string[];
  measures: { name: string; agg: string; expr: string; description: string }[];
}

export function metricsYaml(sms: SemanticDef[]): string {
  const out = ['version: 2', '', 'semantic_models:'];
  for (const s of sms) {
    out.push(`  - name: ${s.name}`, `    description: ${q(`Semantic model over ${s.model.name}.`)}`, `    model: ref('${s.model.name}')`,
      '    defaults:', `      agg_time_dimension: ${s.ts}`, '    entities:',
      `      - name: ${s.model.entity.singular}`, '        type: primary', `        expr: ${s.model.pk}`,
      ...s.foreign.flatMap(f => [`      - name: ${f.replace(/_id$/, '')}`, '        type: foreign', `        expr: ${f}`]),
      '    dimensions:', `      - name: ${s.ts}`, '        type: time', '        type_params:', '          time_granularity: day',
      ...s.dimensions.flatMap(d => [`      - name: ${d}`, '        type: categorical']),
      '    measures:', ...s.measures.flatMap(m => [`      - name: ${m.name}`, `        description: ${q(m.description)}`, `        agg: ${m.agg}`, `        expr: ${m.expr}`]));
  }
  out.push('', 'metrics:');
  for (const s of sms) {
    for (const m of s.measures) {
      out.push(`  - name: ${m.name}`, `    label: ${q(cap(m.name.replace(/_/g, ' ')))}`, `    description: ${q(m.description)}`,
        '    type: simple', '    type_params:', `      measure: ${m.name}`);
    }
  }
  return out.join('\n') + '\n';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
