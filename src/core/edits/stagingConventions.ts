// How this project writes staging models, learned from the ones it has: the name pattern (stg_<source>__<table>,
// stg_<table>, ...), the folder layout (models/staging/<source>/ or one flat folder), where their YAML lives, the
// CTE names and layout of the SQL, the type ids are cast to, and `data_tests:` vs `tests:`. Every choice is a
// majority vote with the evidence kept; a project without staging models gets dbt Labs' style-guide defaults.
import type { DbtNode, ParsedProject } from '../types';
import { sourceNameOf } from '../dbt/graph-node';
import { dirOf } from './refactorContext';

export interface StagingConventions {
  /** `{source}` and `{table}` placeholders: 'stg_{source}__{table}'. */
  nameTemplate: string;
  /** Workspace-relative folder, may hold `{source}`: 'models/staging/{source}'. */
  folderTemplate: string;
  /** Workspace-relative YAML file for the model entry, may hold `{source}`. */
  yamlTemplate: string;
  /** Names of the import CTE and the renaming CTE. */
  ctes: [string, string];
  indent: string;
  /** A blank line inside each CTE's parentheses, as in dbt Labs' style guide. */
  padded: boolean;
  /** A blank line between the last CTE and the final select. */
  blankBeforeFinal: boolean;
  upperKeywords: boolean;
  /** Type integer-like ids are cast to ('integer', 'bigint', 'number'). */
  idType: string;
  testsKey: 'data_tests' | 'tests';
  /** What each choice was learned from, for the explanation. */
  evidence: string[];
  /** Staging models the conventions come from. */
  learnedFrom: string[];
}

interface Sample {
  node: DbtNode;
  source: string;
  table: string;
}

/** Models that read exactly one source table and no other model: what dbt calls staging models. */
function samples(project: ParsedProject): Sample[] {
  const out: Sample[] = [];
  for (const n of project.nodes) {
    if (n.resourceType !== 'model' || n.language !== 'sql' || n.refs.length || n.sources.length !== 1 || !n.location) continue;
    out.push({ node: n, source: n.sources[0].source, table: n.sources[0].table });
  }
  return out.sort((a, b) => a.node.location!.path.localeCompare(b.node.location!.path));
}

function vote<T>(values: T[], key: (v: T) => string = String): { value?: T; count: number } {
  const counts = new Map<string, { v: T; n: number }>();
  for (const v of values) {
    const k = key(v);
    const c = counts.get(k);
    if (c) c.n++; else counts.set(k, { v, n: 1 });
  }
  let best: { v: T; n: number } | undefined;
  for (const c of counts.values()) if (!best || c.n > best.n) best = c;
  return { value: best?.v, count: best?.n ?? 0 };
}

function nameTemplateOf(s: Sample): string | undefined {
  const name = s.node.name.toLowerCase();
  const src = s.source.toLowerCase(), table = s.table.toLowerCase();
  for (const [sep, tpl] of [['__', '{source}__{table}'], ['_', '{source}_{table}']] as const) {
    const tail = `${src}${sep}${table}`;
    if (name.endsWith(tail)) return name.slice(0, name.length - tail.length) + tpl;
  }
  if (name.endsWith(table)) return name.slice(0, name.length - table.length) + '{table}';
  return undefined;
}

function folderTemplateOf(s: Sample): string {
  const dir = dirOf(s.node.location!.path);
  const last = dir.slice(dir.lastIndexOf('/') + 1);
  return last.toLowerCase() === s.source.toLowerCase() ? `${dirOf(dir) ? `${dirOf(dir)}/` : ''}{source}` : dir;
}

function yamlTemplateOf(s: Sample, folderTpl: string): string | undefined {
  const y = s.node.yamlLocation?.path;
  if (!y) return undefined;
  const file = y.slice(y.lastIndexOf('/') + 1);
  const fileTpl = file.toLowerCase().includes(s.source.toLowerCase()) ? file.replace(new RegExp(escapeRe(s.source), 'i'), '{source}') : file;
  const modelDir = dirOf(s.node.location!.path);
  return dirOf(y) === modelDir ? `${folderTpl}/${fileTpl}` : `${dirOf(y)}/${fileTpl}`.replace(/^\//, '');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function learnStagingConventions(project: ParsedProject, yamlTexts: string[] = []): StagingConventions {
  const ss = samples(project);
  const evidence: string[] = [];
  const modelRoot = project.info.modelPaths[0] ?? 'models';
  const name = vote(ss.map(nameTemplateOf).filter((x): x is string => !!x));
  const folder = vote(ss.map(folderTemplateOf));
  const yaml = vote(ss.map(s => yamlTemplateOf(s, folderTemplateOf(s))).filter((x): x is string => !!x));
  const ctes = vote(ss.filter(s => s.node.ctes.length >= 2).map(s => [s.node.ctes[0], s.node.ctes[s.node.ctes.length - 1]] as [string, string]), c => c.join('|'));
  const codes = ss.map(s => s.node.rawCode ?? '');
  const indent = vote(codes.map(c => /\n([ \t]+)select\b/i.exec(c)?.[1]).filter((x): x is string => !!x));
  const padded = codes.filter(c => /\bas\s*\(\s*\n[ \t]*\n/i.test(c)).length;
  const blankFinal = codes.filter(c => /\)[ \t]*\n[ \t]*\n\s*select\b[^()]*$/i.test(c)).length;
  const upper = codes.filter(c => /\bSELECT\b/.test(c)).length;
  const idTypes = vote(codes.flatMap(c => [...c.matchAll(/cast\(\s*(?:"[^"]+"|\w+)\s+as\s+(\w+)\s*\)\s+as\s+"?\w*_id\b/gi)].map(m => m[1].toLowerCase())));
  const testsKey = testsKeyOf(project, yamlTexts);

  const n = ss.length;
  const say = (what: string, v: { count: number }, value: string) => {
    if (v.count) evidence.push(`${what} \`${value}\` (${v.count} of ${n} staging models)`);
  };
  const conv: StagingConventions = {
    nameTemplate: name.value ?? 'stg_{source}__{table}',
    folderTemplate: folder.value ?? `${modelRoot}/staging/{source}`,
    yamlTemplate: yaml.value ?? `${folder.value ?? `${modelRoot}/staging/{source}`}/_{source}__models.yml`,
    ctes: ctes.value ?? ['source', 'renamed'],
    indent: indent.value ?? '    ',
    padded: n ? padded * 2 >= n : true,
    blankBeforeFinal: n ? blankFinal * 2 >= n : true,
    upperKeywords: n ? upper * 2 > n : false,
    idType: idTypes.value ?? 'integer',
    testsKey: testsKey.key,
    evidence,
    learnedFrom: ss.map(s => s.node.location!.path),
  };
  say('name pattern', name, conv.nameTemplate);
  say('folder', folder, conv.folderTemplate);
  say('YAML file', yaml, conv.yamlTemplate);
  say('CTEs', ctes, conv.ctes.join(', '));
  if (idTypes.count) evidence.push(`ids cast to \`${conv.idType}\` (${idTypes.count} casts)`);
  evidence.push(testsKey.why);
  if (!n) evidence.unshift('no staging model to learn from: dbt Labs\' style-guide defaults are used');
  return conv;
}

/** `data_tests:` (dbt 1.8+) or `tests:`, as the project's YAML writes them; else from the required dbt version. */
function testsKeyOf(project: ParsedProject, yamlTexts: string[]): { key: 'data_tests' | 'tests'; why: string } {
  let data = 0, legacy = 0;
  for (const t of yamlTexts) {
    data += (t.match(/^\s*data_tests\s*:/gm) ?? []).length;
    legacy += (t.match(/^\s*tests\s*:/gm) ?? []).length;
  }
  if (data || legacy) {
    const key = data >= legacy ? 'data_tests' : 'tests';
    return { key, why: `tests under \`${key}:\` like the project's YAML (${Math.max(data, legacy)} of ${data + legacy} test lists)` };
  }
  const req = project.info.requireDbtVersion ?? '';
  const m = /(\d+)\.(\d+)/.exec(req);
  const old = m ? Number(m[1]) < 1 || (Number(m[1]) === 1 && Number(m[2]) < 8) : false;
  return { key: old ? 'tests' : 'data_tests', why: `tests under \`${old ? 'tests' : 'data_tests'}:\` (${req ? `require-dbt-version ${req}` : 'dbt 1.8+ default'})` };
}

export function fill(template: string, source: string, table: string): string {
  return template.replace(/\{source\}/g, source).replace(/\{table\}/g, table);
}

/** Source nodes of a source name, for messages. */
export function sourceTables(project: ParsedProject, source: string): string[] {
  return project.nodes.filter(n => n.resourceType === 'source' && sourceNameOf(n).toLowerCase() === source.toLowerCase()).map(n => n.name).sort();
}
