// Shared data model of the core. Every path here is workspace-relative and posix ('models/a.sql');
// every line number is 1-based and inclusive.

/** Where something lives in the workspace. */
export interface SourceRange {
  path: string;
  startLine: number;
  endLine: number;
}

/** A problem found while reading the workspace: reported, never thrown. */
export interface Problem {
  path: string;
  line?: number;
  message: string;
  severity: 'error' | 'warning';
}

// ---------------------------------------------------------------- dbt

export type ResourceType =
  | 'model' | 'source' | 'seed' | 'snapshot' | 'test' | 'macro' | 'analysis'
  | 'exposure' | 'metric' | 'semantic_model' | 'saved_query';

/** One `dbt_project.yml` and the folders it declares (all relative to the workspace). */
export interface DbtProjectInfo {
  name: string;
  /** Folder holding dbt_project.yml, workspace-relative ('' when at the workspace root). */
  root: string;
  configPath: string;
  profile?: string;
  version?: string;
  requireDbtVersion?: string;
  modelPaths: string[];
  seedPaths: string[];
  macroPaths: string[];
  snapshotPaths: string[];
  testPaths: string[];
  analysisPaths: string[];
  docsPaths: string[];
  targetPath: string;
  /** The `models:` / `seeds:` / ... config blocks of dbt_project.yml, as written. */
  resourceConfigs: Partial<Record<'models' | 'seeds' | 'snapshots' | 'sources', Record<string, unknown>>>;
  vars: Record<string, unknown>;
}

export interface RefCall {
  name: string;
  package?: string;
  version?: string;
}

export interface SourceCall {
  source: string;
  table: string;
}

/** A generic or singular data test. */
export interface TestDef {
  /** Test name: unique, not_null, accepted_values, relationships, dbt_utils.expression_is_true, ... */
  name: string;
  column?: string;
  args: Record<string, unknown>;
  /** For relationships tests: the model/source the `to:` argument points at. */
  to?: RefCall | SourceCall;
  location?: SourceRange;
}

export interface ColumnDef {
  name: string;
  description?: string;
  dataType?: string;
  tests: TestDef[];
  constraints: unknown[];
  meta: Record<string, unknown>;
  tags: string[];
  /** Names of `{{ doc('x') }}` blocks the description references. */
  docRefs: string[];
  location?: SourceRange;
}

/** Config as dbt resolves it for a node (dbt_project.yml < YAML config < in-file config()). */
export interface NodeConfig {
  materialized?: string;
  uniqueKey?: string | string[];
  incrementalStrategy?: string;
  tags: string[];
  schema?: string;
  database?: string;
  alias?: string;
  enabled?: boolean;
  /** Everything else, as written. */
  other: Record<string, unknown>;
}

/** A model, source table, seed, snapshot, macro, test, exposure, metric, semantic model or saved query. */
export interface DbtNode {
  /** dbt's unique_id: model.<project>.<name>, source.<project>.<source>.<table>, macro.<project>.<name>, ... */
  uniqueId: string;
  resourceType: ResourceType;
  name: string;
  /** Project name. */
  project: string;
  /** The defining file: .sql/.py/.csv/.md for files, the YAML entry for YAML-only resources. */
  location?: SourceRange;
  /** The YAML entry that documents it, when separate from `location`. */
  yamlLocation?: SourceRange;
  description?: string;
  docRefs: string[];
  columns: ColumnDef[];
  /** Tests declared on the node itself (column tests live on the columns). */
  tests: TestDef[];
  config: NodeConfig;
  tags: string[];
  meta: Record<string, unknown>;
  refs: RefCall[];
  sources: SourceCall[];
  /** Macro names called (`my_macro`, `dbt_utils.star`). */
  macros: string[];
  /** Raw code of SQL/Python models, macros, snapshots, singular tests and analyses. */
  rawCode?: string;
  language?: 'sql' | 'python';
  /** Names of the CTEs a SQL model declares, in order. */
  ctes: string[];
  isIncremental: boolean;
  /** Relation the node builds or reads: database/schema/identifier when known. */
  relation?: { database?: string; schema?: string; identifier: string };
  /** Type-specific properties kept as written (source loader/freshness/loaded_at_field, exposure owner/url/type,
   *  metric type/type_params, semantic model entities/measures/dimensions, seed header, macro arguments, ...). */
  props: Record<string, unknown>;
}

/** A `{% docs name %}...{% enddocs %}` block. */
export interface DocBlock {
  name: string;
  project: string;
  text: string;
  location: SourceRange;
}

export interface ParsedProject {
  info: DbtProjectInfo;
  nodes: DbtNode[];
  docBlocks: DocBlock[];
  problems: Problem[];
  /** 'files' when read from the project's files, 'manifest' when target/manifest.json was authoritative. */
  origin: 'files' | 'manifest';
}

// ---------------------------------------------------------------- git

export interface FileChange {
  path: string;
  /** Set when the change renamed the file. */
  oldPath?: string;
  additions: number;
  deletions: number;
  status: 'A' | 'M' | 'D' | 'R';
}

export interface Commit {
  sha: string;
  author: string;
  email: string;
  /** ISO 8601. */
  date: string;
  subject: string;
  body: string;
  files: FileChange[];
}

export interface GitHistoryData {
  /** Newest first. */
  commits: Commit[];
  head?: string;
  /** True when the history is incomplete (shallow clone, missing objects, not a repository). */
  partial: boolean;
  /** Why history is partial or empty, for the status/diagnostics. */
  reason?: string;
}

// ---------------------------------------------------------------- warehouse

export interface WarehouseColumn {
  name: string;
  type: string;
  nullable?: boolean;
  comment?: string;
}

export interface WarehouseTable {
  database: string;
  schema: string;
  name: string;
  kind: 'table' | 'view';
  comment?: string;
  rowCount?: number;
  columns: WarehouseColumn[];
  /** unique_id of the dbt node that builds (model/seed/snapshot) or declares (source) this relation. */
  nodeId?: string;
}

export interface WarehouseCatalog {
  kind: 'duckdb' | 'snowflake';
  /** What was read: a file path or an account, for messages. */
  origin: string;
  tables: WarehouseTable[];
  /** Set when the warehouse could not be read; the rest of the engine keeps working. */
  error?: string;
}

// ---------------------------------------------------------------- index, retrieval, answers

/** What an answer points at: a file range, a commit, or both. */
export interface Citation {
  path: string;
  startLine?: number;
  endLine?: number;
  /** Full sha for commit citations. */
  commit?: string;
  /** model, source, column, macro, commit, warehouse_table, ... */
  kind: string;
  nodeId?: string;
  title?: string;
}

export type DocKind =
  | 'model' | 'model_yaml' | 'columns' | 'source' | 'seed' | 'snapshot' | 'macro' | 'test' | 'analysis'
  | 'exposure' | 'metric' | 'semantic_model' | 'saved_query' | 'doc_block' | 'commit' | 'warehouse_table';

/** One retrievable unit of the index. */
export interface IndexDocument {
  /** Stable across refreshes: `${kind}:${key}`. */
  id: string;
  kind: DocKind;
  title: string;
  /** The text that is embedded and keyword-indexed. */
  text: string;
  /** Content hash of title+text: a changed hash means re-embed. */
  hash: string;
  citation: Citation;
  nodeId?: string;
  /** Exact identifiers this document defines (model name, column names, macro name, sha prefix...). */
  identifiers: string[];
}

export interface SearchHit {
  doc: IndexDocument;
  score: number;
  /** Which signals found it, for diagnostics. */
  signals: { exact?: number; keyword?: number; vector?: number; lineage?: number };
}

export interface Answer {
  answer: string;
  mode: 'offline' | 'llm';
  citations: Citation[];
}

export interface Progress {
  phase: string;
  done: number;
  total: number;
  message?: string;
}

export type ProgressFn = (p: Progress) => void;
