// Partial selection of the k best scores with a binary min-heap: O(n log k) instead of sorting all n.

export interface Scored {
  index: number;
  score: number;
}

/** Orders equal scores: negative when entry a should rank before entry b. */
export type TieBreak = (a: number, b: number) => number;

/** Keeps the k highest-scoring entries seen through push(); result() returns them best first. */
export class TopK {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private n = 0;

  constructor(private readonly k: number, private readonly tie?: TieBreak) {
    this.idx = new Int32Array(Math.max(k, 0));
    this.val = new Float64Array(Math.max(k, 0));
  }

  /** The score an entry must reach to enter (−Infinity until k entries were seen). */
  get threshold(): number {
    return this.n < this.k ? -Infinity : this.val[0];
  }

  push(index: number, score: number): void {
    if (this.k <= 0) return;
    if (this.n < this.k) {
      let i = this.n++;
      while (i > 0) { // sift up
        const p = (i - 1) >> 1;
        if (!this.worse(index, score, this.idx[p], this.val[p])) break;
        this.val[i] = this.val[p]; this.idx[i] = this.idx[p]; i = p;
      }
      this.val[i] = score; this.idx[i] = index;
    } else if (this.worse(this.idx[0], this.val[0], index, score)) {
      this.siftDown(index, score);
    }
  }

  /** Whether entry a ranks below entry b (the heap keeps the worst entry on top). */
  private worse(ai: number, as: number, bi: number, bs: number): boolean {
    if (as !== bs) return as < bs;
    return this.tie ? this.tie(ai, bi) > 0 : ai > bi;
  }

  private siftDown(index: number, score: number): void {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.worse(this.idx[r], this.val[r], this.idx[l], this.val[l]) ? r : l;
      if (!this.worse(this.idx[c], this.val[c], index, score)) break;
      this.val[i] = this.val[c]; this.idx[i] = this.idx[c]; i = c;
    }
    this.val[i] = score; this.idx[i] = index;
  }

  result(): Scored[] {
    const out: Scored[] = [];
    for (let i = 0; i < this.n; i++) out.push({ index: this.idx[i], score: this.val[i] });
    // only k items: sorting them is cheap
    return out.sort((a, b) => b.score - a.score || (this.tie ? this.tie(a.index, b.index) : a.index - b.index));
  }
}
