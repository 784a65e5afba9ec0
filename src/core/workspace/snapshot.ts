import type { GitHistoryData, ParsedProject, Problem, WarehouseCatalog } from '../types';
import type { LineageGraph } from '../dbt/graph';
import type { HistoryIndex } from '../git/history';

/** Everything the engine knows about a workspace at one moment; rebuilt (mostly from caches) on each refresh. */
export interface WorkspaceSnapshot {
  /** Absolute workspace folder. */
  root: string;
  projects: ParsedProject[];
  graph: LineageGraph;
  historyData: GitHistoryData;
  history: HistoryIndex;
  catalog?: WarehouseCatalog;
  /** Each project's warehouse connection from profiles.yml (secrets redacted). */
  connections: ProjectConnection[];
  problems: Problem[];
}

export interface ProjectConnection {
  project: string;
  /** Workspace-relative (or absolute when outside the workspace) profiles.yml that was used. */
  profilesPath?: string;
  profile?: string;
  target?: string;
  /** e.g. "duckdb (shopwise.dev) /abs/shopwise.duckdb" — never a secret. */
  summary?: string;
  /** Redacted connection fields. */
  fields: Record<string, unknown>;
}
