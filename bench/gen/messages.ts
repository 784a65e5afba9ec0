// Commit subjects and bodies, in the three styles teams use: plain, conventional commits, ticket prefix.
import type { Rng } from './random';
import type { ProjectFile } from './project';
import { COMMIT_BODIES } from './vocab';

export type Style = 'plain' | 'conventional' | 'ticket';
export type Action = 'add' | 'modify' | 'rename';

/** [conventional type, text]; {n} name, {c} a column, {d} domain, {f} folder, {o} former name. */
type Template = [string, string];

const TEMPLATES: Record<string, Template[]> = {
  'add:model': [['feat', 'Add {n} model'], ['feat', 'Add {n}'], ['feat', 'Create {n} for {d} reporting'], ['feat', 'Build {n}']],
  'add:staging': [['feat', 'Stage {src} {tbl}'], ['feat', 'Add staging model for {src} {tbl}'], ['feat', 'Add {n}']],
  'add:yaml': [['docs', 'Document {f} models'], ['test', 'Add schema tests for {f}'], ['docs', 'Add {f} properties file']],
  'add:sources': [['feat', 'Declare {f}'], ['feat', 'Add {f} with freshness checks']],
  'add:macro': [['feat', 'Add {n} macro'], ['feat', 'Introduce {n} helper']],
  'add:seed': [['feat', 'Add {n} seed'], ['feat', 'Load {n} mapping as a seed']],
  'add:other': [['chore', 'Add {n}'], ['test', 'Add {n}']],
  'add:scaffold': [['chore', 'Initial dbt project scaffold']],
  'modify:model': [
    ['fix', 'Fix join on {c} in {n}'], ['feat', 'Add {c} to {n}'], ['refactor', 'Refactor CTEs in {n}'], ['fix', 'Handle null {c} in {n}'],
    ['fix', 'Deduplicate {n}'], ['fix', 'Filter test accounts out of {n}'], ['refactor', 'Rename columns in {n} to follow conventions'],
    ['fix', 'Cast {c} to the right type in {n}'], ['chore', 'Tidy up {n}'], ['fix', 'Fix timezone handling for {c} in {n}'],
    ['perf', 'Speed up {n}'], ['feat', 'Expose {c} in {n}'], ['fix', 'Correct {c} logic in {n}'],
  ],
  'modify:yaml': [
    ['docs', 'Update column descriptions for {f}'], ['test', 'Add not_null tests to {f}'], ['docs', 'Clarify {c} description'],
    ['test', 'Relax accepted_values test in {f}'], ['docs', 'Document {c} in {f}'],
  ],
  'modify:sources': [['chore', 'Tighten freshness for {f}'], ['docs', 'Describe new columns in {f}']],
  'modify:macro': [['fix', 'Fix {n} for null input'], ['refactor', 'Simplify {n} macro'], ['fix', 'Make {n} work on Snowflake and DuckDB']],
  'modify:seed': [['chore', 'Update {n} mappings'], ['fix', 'Correct rows in {n}']],
  'modify:other': [['docs', 'Update {n}'], ['test', 'Adjust {n}']],
  'modify:scaffold': [['chore', 'Update {n}'], ['chore', 'Bump package versions in {n}'], ['chore', 'Tweak {n} for CI']],
  'rename:staging': [['refactor', 'Rename {o} to {n} (double-underscore convention)'], ['refactor', 'Rename {o} to {n}']],
  'rename:model': [['refactor', 'Move {n} into the {d} folder'], ['refactor', 'Reorganize {n} under {d}/']],
};

export function subjectFor(rng: Rng, style: Style, action: Action, f: ProjectFile, others: number): string {
  const [type, text] = rng.pick(TEMPLATES[templateKey(action, f)] ?? TEMPLATES[`${action}:other`] ?? TEMPLATES['modify:other']);
  const stg = /^stg_([a-z0-9_]+?)__(.+)$/.exec(f.label);
  const former = f.formerPath?.split('/').pop()?.replace(/\.sql$/, '') ?? f.label;
  const body = text
    .replace('{n}', f.label).replace('{d}', (f.domain ?? 'shared').replace(/_/g, ' ')).replace('{f}', f.label)
    .replace('{c}', f.columns?.length ? rng.pick(f.columns) : 'keys').replace('{o}', former)
    .replace('{src}', stg?.[1] ?? '').replace('{tbl}', (stg?.[2] ?? '').replace(/_/g, ' '));
  const text2 = others > 1 && action === 'add' && f.kind === 'model' && rng.chance(0.4) ? `${body} and ${others - 1} related file${others > 2 ? 's' : ''}` : body;
  if (style === 'conventional') return `${type}(${(f.domain ?? 'project').replace(/_/g, '-')}): ${lowerFirst(text2)}`;
  if (style === 'ticket') return `DATA-${rng.int(100, 2400)}: ${text2}`;
  return text2;
}

function templateKey(action: Action, f: ProjectFile): string {
  if (f.kind === 'model') {
    const staging = f.label.startsWith('stg_');
    if (action === 'rename') return staging ? 'rename:staging' : 'rename:model';
    return action === 'add' && staging ? 'add:staging' : `${action}:model`;
  }
  if (f.kind === 'yaml' && f.label.endsWith(' sources')) return `${action}:sources`;
  return `${action}:${f.kind}`;
}

export function bodyFor(rng: Rng, paths: string[]): string {
  const parts: string[] = [];
  if (rng.chance(0.3)) parts.push(rng.pick(COMMIT_BODIES));
  if (paths.length > 1 && rng.chance(0.4)) parts.push(`Also touches: ${paths.slice(1).join(', ')}`);
  return parts.join('\n\n');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
