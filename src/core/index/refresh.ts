// Content-hash refresh planning (Continue's "compute / delete" lists): given what the index holds (id -> hash)
// and the documents the workspace yields now, decide what to embed, what to drop and what to keep.
import type { IndexDocument } from '../types';

export interface RefreshPlan {
  /** New documents and documents whose hash changed: embed these. */
  compute: IndexDocument[];
  /** Ids in the index that the workspace no longer yields. */
  remove: string[];
  /** Documents whose stored hash equals the new one. */
  unchanged: number;
}

/** When `next` repeats an id, the last occurrence wins (it is the one a later producer emitted). */
export function planRefresh(stored: Map<string, string>, next: IndexDocument[]): RefreshPlan {
  const latest = new Map<string, IndexDocument>();
  for (const d of next) latest.set(d.id, d);
  const compute: IndexDocument[] = [];
  let unchanged = 0;
  for (const [id, d] of latest) {
    if (stored.get(id) === d.hash) unchanged++;
    else compute.push(d);
  }
  const remove = [...stored.keys()].filter(id => !latest.has(id));
  return { compute, remove, unchanged };
}
