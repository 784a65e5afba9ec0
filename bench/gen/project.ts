// Plans a whole dbt project and renders it to files (in memory); the history module then replays it into git.
import { Rng } from './random';
import { columnWeights, splitExactly } from './budget';
import { planDownstream, type DownstreamModel } from './downstream';
import { selectMacros, type MacroDef } from './macros';
import type { Column, Model, SourceDef } from './plan';
import { fillRawColumns, planSources } from './sources';
import { downstreamSql, singularTestSql, stagingSql } from './sql';
import { stagingModel } from './staging';
import { assignTests } from './tests';
import { AUTHORS, COMPANIES, EXPOSURES, SEEDS, STATUS_VALUES, type SeedSpec } from './vocab';
import {
  exposuresYaml, macrosYaml, metricsYaml, modelsYaml, seedsYaml, sourcesYaml, type ExposureDef, type SemanticDef,
} from './yaml';

export type FileKind = 'scaffold' | 'model' | 'yaml' | 'macro' | 'seed' | 'other';

export interface ProjectFile {
  path: string;
  content: string;
  kind: FileKind;
  /** Model, macro or seed name, or the folder a YAML file documents; used in commit subjects. */
  label: string;
  domain?: string;
  /** When the file first appears in the history, 0..1 (scaffold files: -1). */
  rank: number;
  /** The path a model had before the history renamed it. */
  formerPath?: string;
  columns?: string[];
  /** The YAML file documenting this file, so a commit can touch both. */
  sibling?: string;
}

export interface ScaleSpec {
  models: number;
  yamlColumns: number;
  commits: number;
}

export interface GeneratedProject {
  name: string;
  company: string;
  files: ProjectFile[];
  models: Model[];
  sources: SourceDef[];
  macros: MacroDef[];
  seeds: SeedSpec[];
  exposures: ExposureDef[];
  metrics: number;
  yamlColumns: number;
}

export function planProject(scale: ScaleSpec, seed: number): GeneratedProject {
  const rng = new Rng(seed);
  const company = rng.fork('name').pick(COMPANIES);
  const name = `${company}_analytics`;
  const n = scale.models;
  const stagingCount = Math.max(1, Math.round(n * 0.35));
  const martCount = Math.max(1, Math.round(n * 0.3));
  const intCount = n - stagingCount - martCount;

  const sources = planSources(rng.fork('sources'), stagingCount);
  const tables = sources.flatMap(s => s.tables);
  const budgetRng = rng.fork('budget');
  const factors = [...tables.map(() => 0.8), ...tables.map(() => 1), ...Array(n - stagingCount).fill(0).map((_, i) => (i < intCount ? 0.9 : 1.3))];
  const budget = splitExactly(scale.yamlColumns, columnWeights(budgetRng, factors));
  const macros = selectMacros(Math.min(50, Math.max(20, 20 + Math.floor((n - 50) / 35))));
  const macroNames = new Set(macros.map(m => m.name));
  const seeds = rng.fork('seeds').sample(SEEDS, Math.min(SEEDS.length, 4 + Math.floor(n / 400)));

  const colRng = rng.fork('columns');
  tables.forEach((t, i) => {
    const dSrc = budget[i];
    const dStg = budget[tables.length + i];
    fillRawColumns(colRng, t, Math.max(dSrc, dStg, 4) + colRng.int(0, 2));
    t.documented = Math.min(dSrc, t.raw.length);
  });
  const stgRng = rng.fork('staging');
  const staging = tables.map((t, i) => stagingModel(stgRng, t, i, budget[tables.length + i], macroNames));
  const downstream = planDownstream(rng.fork('dag'), staging, {
    intermediate: intCount, marts: martCount, documented: budget.slice(2 * tables.length), macros: macroNames, seeds,
  });
  const models: Model[] = [...staging, ...downstream];
  assignTests(rng.fork('tests'), models, macroNames);
  const sqlRng = rng.fork('sql');
  for (const m of staging) m.sql = stagingSql(sqlRng, m, macroNames);
  for (const m of downstream) m.sql = downstreamSql(m, (m as DownstreamModel).select);
  for (const m of models) m.macros = [...new Set([...m.sql.matchAll(/\{\{\s*(\w+)\(/g)].map(x => x[1]))].filter(x => macroNames.has(x));

  const yamlColumns = tables.reduce((a, t) => a + t.documented, 0) + models.reduce((a, m) => a + m.documented, 0);
  if (yamlColumns !== scale.yamlColumns) {
    throw new Error(`internal: generated ${yamlColumns} YAML columns instead of ${scale.yamlColumns}; report this with the scale and seed`);
  }
  const exposures = planExposures(rng.fork('exposures'), models, name, company, n);
  const semantic = planSemanticModels(models);
  const files = renderFiles(rng.fork('files'), { name, company, sources, models, macros, seeds, exposures, semantic });
  return {
    name, company, files, models, sources, macros, seeds, exposures,
    metrics: semantic.reduce((a, s) => a + s.measures.length, 0), yamlColumns,
  };
}

function planExposures(rng: Rng, models: Model[], project: string, company: string, n: number): ExposureDef[] {
  const marts = models.filter(m => m.layer === 'marts');
  const count = Math.min(EXPOSURES.length, 2 + Math.floor(n / 300));
  return EXPOSURES.slice(0, count).map((e, i) => {
    const related = marts.filter(m => (e.domains as readonly string[]).includes(m.domain));
    const depends = rng.sample(related.length >= 2 ? related : marts, rng.int(2, 5)).map(m => m.name);
    const owner = rng.pick(AUTHORS);
    return {
      name: e.name, label: e.label, type: e.type, depends, maturity: rng.pick(['high', 'medium', 'low']),
      url: `https://bi.${company}.com/${e.type === 'dashboard' ? 'dashboards' : 'apps'}/${100 + i * 7}`,
      owner: { name: owner, email: emailOf(owner, company) },
    };
  }).filter(e => e.depends.length > 0 && project.length > 0);
}

export function emailOf(author: string, company: string): string {
  return `${author.toLowerCase().replace(/[^a-z ]/g, '').trim().replace(/\s+/g, '.')}@${company}.com`;
}

/** Up to three fact models with a time column become semantic models with count and sum metrics. */
function planSemanticModels(models: Model[]): SemanticDef[] {
  const out: SemanticDef[] = [];
  const seen = new Set<string>();
  for (const m of models) {
    if (out.length >= 3) break;
    const ts = m.columns.find(c => c.role === 'ts' && c.type === 'timestamp');
    if (m.kind !== 'fct' || !m.pk || !ts || seen.has(m.entity.singular)) continue;
    seen.add(m.entity.singular);
    const e = m.entity;
    const measures = [{ name: `${e.singular}_count`, agg: 'count', expr: m.pk, description: `Number of ${e.words} records.` }];
    const sum = m.columns.find(c => c.role === 'measure' && c.type === 'numeric');
    if (sum) measures.push({ name: `${e.singular}_${sum.name}`.replace(`${e.singular}_${e.singular}_`, `${e.singular}_`), agg: 'sum', expr: sum.name, description: `Sum of ${sum.name.replace(/_/g, ' ')} over ${e.words} records.` });
    out.push({
      model: m, name: e.plural, ts: ts.name, measures,
      foreign: m.columns.filter(c => c.role === 'fk').slice(0, 2).map(c => c.name),
      dimensions: m.columns.filter(c => c.role === 'status' || (c.role === 'attr' && c.type === 'varchar')).slice(0, 2).map(c => c.name),
    });
  }
  return out;
}

interface RenderInput {
  name: string;
  company: string;
  sources: SourceDef[];
  models: Model[];
  macros: MacroDef[];
  seeds: SeedSpec[];
  exposures: ExposureDef[];
  semantic: SemanticDef[];
}

function renderFiles(rng: Rng, p: RenderInput): ProjectFile[] {
  const files: ProjectFile[] = [];
  const add = (f: ProjectFile) => files.push(f);
  add({ path: 'dbt_project.yml', content: dbtProjectYml(p), kind: 'scaffold', label: 'dbt_project.yml', rank: -1 });
  add({ path: 'profiles.yml', content: profilesYml(p.name), kind: 'scaffold', label: 'profiles.yml', rank: -1 });
  add({ path: 'packages.yml', content: PACKAGES_YML, kind: 'scaffold', label: 'packages.yml', rank: -1 });
  add({ path: '.gitignore', content: 'target/\ndbt_packages/\nlogs/\n.user.yml\n*.duckdb\n', kind: 'scaffold', label: '.gitignore', rank: -1 });
  add({ path: 'README.md', content: readme(p), kind: 'scaffold', label: 'README.md', rank: -1 });

  const ranks = modelRanks(rng, p.models);
  const docRefs = new Map<Column, string>();
  const docDomains = new Set<string>();
  for (const m of p.models) {
    if (m.layer === 'staging') continue;
    for (const c of m.columns.slice(0, m.documented)) {
      if (c.role === 'status' && c.valuesDomain && rng.chance(0.3)) { docRefs.set(c, `${c.valuesDomain}_status`); docDomains.add(c.valuesDomain); }
    }
  }
  const yamlOf = (m: Model) => (m.layer === 'staging' ? `${m.folder}/_${m.source!.source.name}__models.yml` : `${m.folder}/_${m.layer === 'intermediate' ? 'int_' : ''}${m.domain}__models.yml`);
  for (const m of p.models) {
    add({ path: m.path, content: m.sql, kind: 'model', label: m.name, domain: m.domain, rank: ranks.get(m)!, formerPath: m.formerPath,
      columns: m.columns.map(c => c.name), sibling: yamlOf(m) });
  }
  const byYaml = new Map<string, Model[]>();
  for (const m of p.models) byYaml.set(yamlOf(m), [...(byYaml.get(yamlOf(m)) ?? []), m]);
  for (const [path, ms] of byYaml) {
    add({ path, content: modelsYaml(ms, docRefs), kind: 'yaml', label: ms[0].folder.split('/').slice(1).join('/'), domain: ms[0].domain,
      rank: Math.min(...ms.map(m => ranks.get(m)!)) + 1e-9, columns: ms.flatMap(m => m.columns.slice(0, m.documented).map(c => c.name)) });
  }
  for (const s of p.sources) {
    const first = p.models.find(m => m.source?.source === s)!;
    add({ path: `models/staging/${s.name}/_${s.name}__sources.yml`, content: sourcesYaml(s), kind: 'yaml', label: `${s.name} sources`,
      domain: s.system.domain, rank: ranks.get(first)! - 1e-9 });
  }
  renderMacros(rng, p.macros, add);
  renderSeeds(rng, p.seeds, add);
  const martRank = (names: string[]) => Math.max(...names.map(n => ranks.get(p.models.find(m => m.name === n)!)!)) + 1e-6;
  if (p.exposures.length) {
    add({ path: 'models/marts/_exposures.yml', content: exposuresYaml(p.exposures), kind: 'yaml', label: 'exposures',
      rank: Math.min(0.999, martRank(p.exposures.flatMap(e => e.depends))) });
  }
  if (p.semantic.length) {
    add({ path: 'models/marts/_metrics.yml', content: metricsYaml(p.semantic), kind: 'yaml', label: 'semantic models and metrics',
      rank: Math.min(0.999, martRank(p.semantic.map(s => s.model.name))) });
  }
  if (docDomains.size) add({ path: 'models/docs.md', content: docsMd([...docDomains]), kind: 'other', label: 'doc blocks', rank: 0.02 });
  for (const t of singularTests(rng, p.models)) {
    add({ path: `tests/assert_${t.model.name}_${t.column}_not_negative.sql`, content: singularTestSql(t.model, t.column), kind: 'other',
      label: `assert_${t.model.name}_${t.column}_not_negative`, rank: Math.min(0.999, ranks.get(t.model)! + 0.01) });
  }
  return files;
}

/** Staging early, intermediate and marts later, each model after everything it refs. */
function modelRanks(rng: Rng, models: Model[]): Map<Model, number> {
  const ranks = new Map<Model, number>();
  const byName = new Map(models.map(m => [m.name, m]));
  const count = { staging: 0, intermediate: 0, marts: 0 };
  const total = { staging: 0, intermediate: 0, marts: 0 };
  for (const m of models) total[m.layer]++;
  const span = { staging: [0.0, 0.6], intermediate: [0.08, 0.95], marts: [0.12, 0.99] };
  for (const m of models) {
    const [lo, hi] = span[m.layer];
    let r = lo + (hi - lo) * ((count[m.layer]++ + rng.next()) / Math.max(1, total[m.layer]));
    for (const ref of m.refs) r = Math.max(r, (ranks.get(byName.get(ref)!) ?? 0) + 1e-6);
    ranks.set(m, Math.min(r, 0.9999));
  }
  return ranks;
}

function renderMacros(rng: Rng, macros: MacroDef[], add: (f: ProjectFile) => void): void {
  macros.forEach((m, i) => {
    const rank = i < 8 ? 0.002 + i * 0.004 : 0.05 + rng.next() * 0.8;
    add({ path: m.file, content: `{# ${m.description} #}\n${m.body}`, kind: 'macro', label: m.name, rank, sibling: 'macros/_macros.yml' });
  });
  add({ path: 'macros/_macros.yml', content: macrosYaml(macros), kind: 'yaml', label: 'macros', rank: 0.001 });
}

function renderSeeds(rng: Rng, seeds: SeedSpec[], add: (f: ProjectFile) => void): void {
  let first = 1;
  for (const s of seeds) {
    const rank = 0.01 + rng.next() * 0.4;
    first = Math.min(first, rank);
    const csv = [s.header, ...s.rows].map(r => r.map(v => (v.includes(',') || v.includes("'") ? JSON.stringify(v) : v)).join(',')).join('\n') + '\n';
    add({ path: `seeds/${s.name}.csv`, content: csv, kind: 'seed', label: s.name, rank, sibling: 'seeds/_seeds.yml' });
  }
  add({ path: 'seeds/_seeds.yml', content: seedsYaml(seeds), kind: 'yaml', label: 'seeds', rank: first + 1e-9 });
}

function singularTests(rng: Rng, models: Model[]): { model: Model; column: string }[] {
  const candidates = models.filter(m => m.kind === 'fct' && m.columns.some(c => c.role === 'measure' && c.type === 'numeric'));
  return rng.sample(candidates, Math.min(candidates.length, 2 + Math.floor(models.length / 500))).map(model => ({
    model, column: model.columns.find(c => c.role === 'measure' && c.type === 'numeric')!.name,
  }));
}

function docsMd(domains: string[]): string {
  return domains.sort().map(d => {
    const values = STATUS_VALUES[d as keyof typeof STATUS_VALUES];
    const rows = values.map(v => `| ${v} | ${cap(v.replace(/_/g, ' '))} |`).join('\n');
    return `{% docs ${d}_status %}\nCanonical ${d.replace(/_/g, ' ')} status, normalized by \`map_${d}_status\`.\n\n| status | meaning |\n|---|---|\n${rows}\n{% enddocs %}\n`;
  }).join('\n');
}

function dbtProjectYml(p: RenderInput): string {
  const domains = [...new Set(p.models.filter(m => m.layer === 'marts').map(m => m.domain))].sort();
  const hook = p.macros.some(m => m.name === 'log_run_results') ? `\non-run-end:\n  - "{{ log_run_results(results) }}"\n` : '';
  return `name: '${p.name}'\nversion: '1.0.0'\nconfig-version: 2\nprofile: '${p.name}'\nrequire-dbt-version: [">=1.8.0", "<2.0.0"]\n\n` +
    `model-paths: ["models"]\nanalysis-paths: ["analyses"]\ntest-paths: ["tests"]\nseed-paths: ["seeds"]\nmacro-paths: ["macros"]\n` +
    `snapshot-paths: ["snapshots"]\ntarget-path: "target"\nclean-targets:\n  - "target"\n  - "dbt_packages"\n${hook}\n` +
    `vars:\n  start_date: '2021-01-01'\n  test_account_domains: ['example.com', '${p.company}-test.com']\n\n` +
    `models:\n  ${p.name}:\n    staging:\n      +materialized: view\n      +schema: staging\n    intermediate:\n      +materialized: ephemeral\n` +
    `    marts:\n      +materialized: table\n${domains.map(d => `      ${d}:\n        +schema: ${d}`).join('\n')}\n\n` +
    `seeds:\n  ${p.name}:\n    +schema: seeds\n`;
}

function profilesYml(name: string): string {
  return `${name}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: warehouse.duckdb\n      threads: 4\n` +
    `    prod:\n      type: snowflake\n      account: "{{ env_var('SNOWFLAKE_ACCOUNT') }}"\n      user: "{{ env_var('SNOWFLAKE_USER') }}"\n` +
    `      password: "{{ env_var('SNOWFLAKE_PASSWORD') }}"\n      role: transformer\n      database: analytics\n      warehouse: transforming\n` +
    `      schema: analytics\n      threads: 8\n`;
}

const PACKAGES_YML = 'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.1.0", "<2.0.0"]\n  - package: dbt-labs/codegen\n    version: 0.12.1\n';

function readme(p: RenderInput): string {
  const domains = [...new Set(p.models.map(m => m.domain))].sort();
  return `# ${p.name}\n\nThe dbt project of ${cap(p.company)}'s data team: raw data from ${p.sources.length} sources is staged, ` +
    `joined in intermediate models and published as marts for BI.\n\n## Layout\n\n- models/staging/<source>: one model per source table\n` +
    `- models/intermediate/<domain>: joins and business logic\n- models/marts/<domain>: facts and dimensions used by dashboards\n` +
    `- macros: shared SQL helpers\n- seeds: small mapping tables maintained by hand\n\n## Domains\n\n${domains.map(d => `- ${d}`).join('\n')}\n\n` +
    `## Running\n\n\`\`\`\ndbt deps\ndbt build --target dev\n\`\`\`\n`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

