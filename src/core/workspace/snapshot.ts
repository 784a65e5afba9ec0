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
  problems: Problem[];
}
