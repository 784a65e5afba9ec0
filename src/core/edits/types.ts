// A proposed change to the workspace: planned and validated in the core, shown to the user as a diff, applied by
// the extension only after approval. Nothing in core writes to the workspace.
import type { Citation, Problem } from '../types';

/** One text replacement in a file (0-based offsets into the file's current text). */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type FileChange =
  | { kind: 'create'; path: string; text: string }
  | { kind: 'modify'; path: string; /** The file's text the edits were planned against (stale = re-plan). */ before: string; edits: TextEdit[] }
  | { kind: 'rename'; path: string; newPath: string };

export interface EditPlan {
  /** e.g. "Document fct_orders", "Rename stg_orders to stg_shop__orders". */
  title: string;
  /** Why each change is proposed, in markdown (shown beside the diff). */
  explanation: string;
  changes: FileChange[];
  /** What the plan relied on. */
  citations: Citation[];
  /** Validation results; a plan with an error is never shown as ready. */
  problems: Problem[];
}

/** The workspace's text of a file, for planning against (the extension reads open editors' unsaved text). */
export type ReadFile = (workspaceRelativePath: string) => Promise<string | undefined>;
