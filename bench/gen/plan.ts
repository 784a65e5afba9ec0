// The in-memory plan of a generated dbt project: sources, models and their columns, before rendering to files.
import type { Domain, SourceSystem } from './vocab';

export type Layer = 'staging' | 'intermediate' | 'marts';
/** stg/int keep the grain of their primary input; daily/agg change it. */
export type ModelKind = 'stg' | 'int' | 'fct' | 'dim' | 'rpt' | 'daily' | 'agg';

export interface Entity {
  singular: string;
  plural: string;
  /** In words, for descriptions: 'order line'. */
  words: string;
}

export type TestSpec =
  | { kind: 'unique' }
  | { kind: 'not_null' }
  | { kind: 'accepted_values'; values: string[] }
  | { kind: 'relationships'; to: string; field: string }
  | { kind: 'is_positive' };

export type ColumnRole = 'pk' | 'fk' | 'attr' | 'status' | 'ts' | 'measure' | 'meta';

export interface Column {
  name: string;
  type: string;
  description: string;
  role: ColumnRole;
  /** SQL that produces the column in its model's final select ('' = the name itself). */
  expr: string;
  values?: string[];
  /** Domain whose status values apply (for doc blocks). */
  valuesDomain?: Domain;
  tests: TestSpec[];
}

export interface RawColumn {
  raw: string;
  clean: string;
  type: string;
  transform: string;
  role: ColumnRole;
  description: string;
  values?: string[];
  valuesDomain?: Domain;
  /** Entity a foreign key points at. */
  target?: string;
}

export interface SourceDef {
  name: string;
  system: SourceSystem;
  /** Raw column the loader stamps each row with (freshness). */
  loadedAt: string;
  tables: SourceTable[];
}

export interface SourceTable {
  source: SourceDef;
  table: string;
  entity: Entity;
  domain: Domain;
  description: string;
  raw: RawColumn[];
  /** How many of `raw` the sources YAML documents. */
  documented: number;
}

export interface Model {
  index: number;
  name: string;
  layer: Layer;
  kind: ModelKind;
  domain: Domain;
  /** Workspace-relative folder and file. */
  folder: string;
  path: string;
  entity: Entity;
  pk?: string;
  grain: string;
  description: string;
  refs: string[];
  seedRefs: string[];
  source?: SourceTable;
  columns: Column[];
  /** How many of `columns` the YAML documents. */
  documented: number;
  /** Model-level tests, e.g. unique_combination_of_columns. */
  combinationKey?: string[];
  materialized?: string;
  incremental?: { uniqueKey: string; ts: string };
  tags: string[];
  /** Project macros the SQL calls (filled from the rendered SQL). */
  macros: string[];
  sql: string;
  /** Where the file lived before a rename the history may replay. */
  formerPath?: string;
}

export interface ProjectPlan {
  name: string;
  company: string;
  sources: SourceDef[];
  models: Model[];
  macros: string[];
  seeds: string[];
}

export function entityOf(plural: string): Entity {
  const singular = singularize(plural);
  return { singular, plural, words: singular.replace(/_/g, ' ') };
}

export function singularize(word: string): string {
  if (/(ies)$/.test(word)) return word.slice(0, -3) + 'y';
  if (/(sses|xes|ches|shes)$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word)) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

export function pluralize(word: string): string {
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + 'ies';
  if (/(s|x|ch|sh)$/.test(word)) return word + 'es';
  return word + 's';
}
