import type { Answer } from '../types';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import type { Retriever } from '../retrieval/search';
import type { EntityMatcher } from '../retrieval/entities';

/** What an answerer may read: the snapshot, retrieval over the index, and the entity matcher. */
export interface AskContext {
  snap: WorkspaceSnapshot;
  retriever: Retriever;
  matcher: EntityMatcher;
  /** True when the word (or identifier) occurs anywhere in the indexed text. */
  knows(word: string): boolean;
}

export interface AskOptions {
  /** Receives the answer text as it is produced. */
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

export interface Answerer {
  readonly mode: Answer['mode'];
  answer(question: string, ctx: AskContext, opts?: AskOptions): Promise<Answer>;
}
