// What parsing one project file yields. Plain data (JSON-serialisable), so an orchestrator can cache it by
// content hash and re-parse only changed files before calling assembleProject.

import type { ColumnDef, DbtNode, DocBlock, Problem, SourceRange, TestDef } from '../types';
import type { RawConfig } from './config';

export type FileKind =
  | 'model' | 'seed' | 'snapshot' | 'macro' | 'test' | 'analysis' | 'properties' | 'docs' | 'ignored';

/** A YAML entry that documents a node defined elsewhere (models/seeds/snapshots/analyses/macros/singular tests, by name). */
export interface YamlPatch {
  resourceType: 'model' | 'seed' | 'snapshot' | 'analysis' | 'macro' | 'test';
  name: string;
  location: SourceRange;
  description?: string;
  docRefs: string[];
  columns: ColumnDef[];
  /** Tests declared on the node itself (column tests live on the columns). */
  tests: TestDef[];
  /** The entry's `config:` plus its top-level `tags:`/`meta:`, as written. */
  config: RawConfig;
  /** Other keys kept as written: access, group, latest_version, constraints, docs, macro arguments, ... */
  props: Record<string, unknown>;
  /** Model versions (`versions:`): each applies to `<name>_v<v>` (or `defined_in`). */
  versions?: { v: string; definedIn?: string; columns?: ColumnDef[]; config?: RawConfig; location: SourceRange }[];
}

export interface FileParse {
  path: string;
  kind: FileKind;
  /** Nodes this file defines (YAML files define sources, exposures, metrics, ... and generic test nodes). */
  nodes: DbtNode[];
  /** Config declared by the defining file, by node uniqueId: in-file `config()` for code, the YAML entry's
   *  `config:` for YAML-defined nodes. Assembly puts it above dbt_project.yml and YAML patch config. */
  configs: Record<string, RawConfig>;
  patches: YamlPatch[];
  docBlocks: DocBlock[];
  problems: Problem[];
}

export function emptyParse(path: string, kind: FileKind): FileParse {
  return { path, kind, nodes: [], configs: {}, patches: [], docBlocks: [], problems: [] };
}
