// A new staging model for a source table, written the way the project writes its staging models: the name,
// folder and YAML file its conventions give, an import CTE and a renaming CTE, columns renamed to snake_case and
// cast by type (ids, timestamps, dates, booleans), and the YAML entry with the source's descriptions and
// unique/not_null tests on the key.
import type { DbtNode, ParsedProject, WarehouseColumn } from '../types';
import { sourceNameOf } from '../dbt/graph-node';
import type { EditPlan } from './types';
import { joinPath, newPlan, nodeCitation, PlanFiles, problem, projectOf, type EditEngine, type PlanOptions } from './refactorContext';
import { catalogTableOf } from './refactorCatalog';
import { sqlParseProblems, validateInto } from './refactorValidate';
import { fill, learnStagingConventions, sourceTables, type StagingConventions } from './stagingConventions';
import { appendEntry, newPropertiesFile, type ModelEntry } from './stagingYaml';
import { namedItem, readYaml, topLevelItems } from './refactorYaml';
import { findProjectFiles } from '../dbt/files';

export interface StagedColumn {
  /** As the source table names it. */
  source: string;
  /** snake_case name in the staging model. */
  name: string;
  /** The select expression without its alias: `cast(id as integer)`, `status`. */
  expr: string;
  /** The type it is cast to, when it is. */
  cast?: string;
  type?: string;
  description?: string;
  tests: string[];
}

export interface StagingOptions extends PlanOptions {
  /** The dbt project, when the workspace has several (default: the one declaring the source). */
  project?: string;
}

export async function planStagingModel(engine: EditEngine, sourceName: string, tableName: string, opts: StagingOptions = {}): Promise<EditPlan> {
  const snap = await engine.snapshot();
  const files = new PlanFiles(snap.root, opts.readFile);
  const plan = newPlan(`Staging model for ${sourceName}.${tableName}`);
  const src = snap.graph.nodes().find(n => n.resourceType === 'source' && sourceNameOf(n).toLowerCase() === sourceName.toLowerCase()
    && n.name.toLowerCase() === tableName.toLowerCase() && (!opts.project || n.project === opts.project));
  const project = src ? projectOf(snap, src) : snap.projects.find(p => !opts.project || p.info.name === opts.project);
  if (!src || !project) {
    const known = project ? sourceTables(project, sourceName) : [];
    plan.problems.push(problem('', `No source table ${sourceName}.${tableName} is declared. ` +
      (known.length ? `Source ${sourceName} has: ${known.join(', ')}.` : 'Declare it in a sources YAML file first.')));
    return plan;
  }
  const source = sourceNameOf(src), table = src.name;
  const conv = learnStagingConventions(project, await yamlTextsOf(snap.root, project, files));
  const name = fill(conv.nameTemplate, source, table);
  const sqlPath = joinPath(fill(conv.folderTemplate, source, table), `${name}.sql`);
  const yamlPath = fill(conv.yamlTemplate, source, table);
  plan.title = `New staging model ${name} for ${source}.${table}`;

  const existing = snap.graph.nodes().find(n => n.resourceType === 'model' && n.project === project.info.name && n.name.toLowerCase() === name.toLowerCase());
  if (existing || await files.exists(sqlPath)) {
    plan.problems.push(problem(existing?.location?.path ?? sqlPath, `A model named ${name} already exists (${existing?.location?.path ?? sqlPath}); rename or remove it first.`));
    return plan;
  }
  const already = project.nodes.filter(n => n.resourceType === 'model' && n.sources.some(s => s.source === source && s.table === table) && !n.refs.length);
  if (already.length) plan.problems.push(problem(already[0].location?.path ?? '', `${source}.${table} is already staged by ${already.map(n => n.name).join(', ')}; this adds another model.`, 'warning'));

  const cols = stagedColumns(snap, src, conv);
  if (!cols.columns.length) plan.problems.push(problem(src.location?.path ?? '', `No columns are known for ${source}.${table}: build the warehouse (or run \`dbt docs generate\`) or list them in the source YAML; the model selects * until then.`, 'warning'));
  const sql = renderSql(conv, source, table, cols.columns);
  plan.changes.push({ kind: 'create', path: sqlPath, text: sql });
  const entry: ModelEntry = { name, description: modelDescription(src, source, table), columns: cols.columns.map(c => ({ name: c.name, description: c.description, tests: c.tests })) };
  const yamlText = await files.text(yamlPath);
  if (yamlText === undefined) plan.changes.push({ kind: 'create', path: yamlPath, text: newPropertiesFile(entry, conv.testsKey) });
  else if (namedItem(topLevelItems(readYaml(yamlText).docs, 'models'), name)) {
    plan.problems.push(problem(yamlPath, `${yamlPath} already has an entry for ${name}; it is kept as it is.`, 'warning'));
  } else {
    const r = appendEntry(yamlText, entry, conv.testsKey);
    if (r.edit) plan.changes.push({ kind: 'modify', path: yamlPath, before: yamlText, edits: [r.edit] });
    else plan.problems.push(problem(yamlPath, `The model entry could not be added to ${yamlPath}: ${r.error}. Add it by hand.`));
  }
  plan.citations.push(nodeCitation(src, 'source'), ...conv.learnedFrom.slice(0, 5).map(p => ({ path: p, kind: 'model', title: p })));
  plan.explanation = explain(conv, name, sqlPath, yamlPath, yamlText !== undefined, cols);
  plan.problems.push(...(await sqlParseProblems(sqlPath, sql)));
  await validateInto(snap, plan, files);
  return plan;
}

async function yamlTextsOf(root: string, project: ParsedProject, files: PlanFiles): Promise<string[]> {
  const out: string[] = [];
  for (const f of await findProjectFiles(root, project.info)) {
    if (!/\.ya?ml$/i.test(f)) continue;
    const t = await files.text(f);
    if (t && /^\s*models\s*:/m.test(t)) out.push(t);
  }
  return out;
}

// ---------------------------------------------------------------- columns

/** `OrderID` → `order_id`, `Created At` → `created_at`, `SKU` → `sku`. */
export function snakeCase(name: string): string {
  const lead = /^_*/.exec(name)![0]; // `_loaded_at` keeps its underscore: it marks loader metadata
  const body = name.slice(lead.length)
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return body ? lead + body : name.toLowerCase();
}

/** `order_items` → `order_item`, `categories` → `category`, `addresses` → `address`. */
export function singular(word: string): string {
  if (/ies$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(ss|us|is)$/.test(word)) return word;
  if (/(s|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (/s$/.test(word)) return word.slice(0, -1);
  return word;
}

const INTEGER = /^(tiny|small|big|huge|u)?int(eger)?\d*$|^(int|uint)\d+$|^number\(\d+,\s*0\)$|^number$|^long$/i;

function castFor(name: string, type: string | undefined, conv: StagingConventions): string | undefined {
  const t = (type ?? '').toLowerCase().trim();
  const isId = name === 'id' || name.endsWith('_id');
  if (isId) return !t || INTEGER.test(t) ? conv.idType : undefined;
  if (/^timestamp(_ntz|_ltz|_tz)?$|^timestamp\s+with(out)?\s+time\s+zone$|^timestamptz$|^datetime$/.test(t)) {
    return t === 'timestamp with time zone' || t === 'timestamptz' ? 'timestamptz' : t.startsWith('timestamp_') ? t : 'timestamp';
  }
  if (!t && name.endsWith('_at')) return 'timestamp';
  if (t === 'date' || (!t && name.endsWith('_date'))) return 'date';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  return undefined;
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function keyColumnOf(src: DbtNode, names: string[]): string | undefined {
  const tested = src.columns.find(c => c.tests.some(t => t.name === 'unique'))?.name;
  if (tested && names.some(n => n.toLowerCase() === tested.toLowerCase())) return tested.toLowerCase();
  return names.find(n => n.toLowerCase() === 'id');
}

export function stagedColumns(snap: Parameters<typeof catalogTableOf>[0], src: DbtNode, conv: StagingConventions): { columns: StagedColumn[]; from: 'catalog' | 'yaml' | 'none' } {
  const table = catalogTableOf(snap, src);
  const fromCatalog: WarehouseColumn[] = table?.columns ?? [];
  const list = fromCatalog.length ? fromCatalog.map(c => ({ name: c.name, type: c.type, comment: c.comment }))
    : src.columns.map(c => ({ name: c.name, type: c.dataType, comment: undefined as string | undefined }));
  const key = keyColumnOf(src, list.map(c => c.name));
  const entity = singular(snakeCase(src.name));
  const used = new Set<string>();
  const columns = list.map(c => {
    let name = snakeCase(c.name);
    if (key && c.name.toLowerCase() === key) name = name === 'id' ? `${entity}_id` : name;
    const cast = castFor(name, c.type, conv);
    if (cast === 'boolean' && !/^(is|has|was|can|should|did|does)_/.test(name)) name = `is_${name}`;
    while (used.has(name)) name = `${name}_2`;
    used.add(name);
    const yamlCol = src.columns.find(y => y.name.toLowerCase() === c.name.toLowerCase());
    const ref = quoteIfNeeded(c.name);
    return {
      source: c.name, name, type: c.type, cast,
      expr: cast ? `cast(${ref} as ${cast})` : ref,
      description: yamlCol?.description?.trim() || c.comment?.trim() || (key && c.name.toLowerCase() === key ? `Primary key of the ${entity.replace(/_/g, ' ')}.` : undefined),
      tests: key && c.name.toLowerCase() === key ? ['unique', 'not_null'] : [],
    };
  });
  return { columns, from: fromCatalog.length ? 'catalog' : list.length ? 'yaml' : 'none' };
}

// ---------------------------------------------------------------- SQL and prose

export function renderSql(conv: StagingConventions, source: string, table: string, columns: StagedColumn[]): string {
  const k = (w: string) => (conv.upperKeywords ? w.toUpperCase() : w);
  const i1 = conv.indent, i2 = conv.indent + conv.indent;
  const [imp, ren] = conv.ctes;
  const expr = (c: StagedColumn) => (c.cast ? `cast(${quoteIfNeeded(c.source)} ${k('as')} ${c.cast})` : c.expr);
  const items = columns.length ? columns.map(c => (c.expr === quoteIfNeeded(c.name) ? c.expr : `${expr(c)} ${k('as')} ${c.name}`)) : ['*'];
  const out: string[] = [];
  const pad = () => { if (conv.padded) out.push(''); };
  out.push(`${k('with')} ${imp} ${k('as')} (`);
  pad();
  out.push(`${i1}${k('select')} * ${k('from')} {{ source('${source}', '${table}') }}`);
  pad();
  out.push('),');
  pad();
  out.push(`${ren} ${k('as')} (`);
  pad();
  out.push(`${i1}${k('select')}`, ...items.map((x, n) => `${i2}${x}${n < items.length - 1 ? ',' : ''}`));
  pad();
  out.push(`${i1}${k('from')} ${imp}`);
  pad();
  out.push(')');
  if (conv.blankBeforeFinal) out.push('');
  out.push(`${k('select')} * ${k('from')} ${ren}`);
  return out.join('\n') + '\n';
}

function modelDescription(src: DbtNode, source: string, table: string): string {
  const d = src.description?.trim().replace(/\s+/g, ' ');
  return `Staged ${source}.${table}: columns renamed to snake_case and cast to their types.${d ? ` ${d}` : ''}`;
}

function explain(conv: StagingConventions, name: string, sqlPath: string, yamlPath: string, appended: boolean, cols: ReturnType<typeof stagedColumns>): string {
  const lines = [`Creates \`${sqlPath}\` and ${appended ? 'adds its entry to' : 'creates'} \`${yamlPath}\`.`, '',
    '**Conventions followed** (learned from the project):', ...conv.evidence.map(e => `- ${e}`), ''];
  const renamed = cols.columns.filter(c => c.name !== c.source.toLowerCase() || c.expr.startsWith('cast('));
  if (cols.from === 'none') lines.push('No column list is known for the table, so the model selects `*` for now.');
  else {
    lines.push(`Columns come from the ${cols.from === 'catalog' ? 'warehouse catalog' : 'source YAML'}; renamed or cast:`);
    for (const c of renamed) lines.push(`- \`${c.source}\`${c.type ? ` (${c.type})` : ''} → \`${c.expr}\` as \`${c.name}\``);
    const key = cols.columns.find(c => c.tests.length);
    lines.push('', key ? `\`${key.name}\` is the key: it gets \`unique\` and \`not_null\` tests.` : 'No key column was found: add unique/not_null tests on the key by hand.');
  }
  lines.push('', `Review the names: the model \`${name}\` keeps business renames (e.g. \`created_at\` → \`ordered_at\`) to you.`);
  return lines.join('\n');
}
