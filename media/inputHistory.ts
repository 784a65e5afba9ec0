// ↑/↓ recall of earlier questions in the input box, like a shell: the draft being typed is kept while browsing.
export class InputHistory {
  private entries: string[];
  /** entries.length = not browsing (showing the draft). */
  private pos: number;
  private draft = '';

  constructor(entries: string[] = [], private readonly max = 100) {
    this.entries = entries.slice(-max);
    this.pos = this.entries.length;
  }

  /** Records a sent question (no consecutive duplicates) and stops browsing. */
  push(question: string): void {
    const q = question.trim();
    if (q && this.entries.at(-1) !== q) this.entries.push(q);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    this.pos = this.entries.length;
    this.draft = '';
  }

  /** The older entry, or undefined at the oldest. `current` is what the input holds now. */
  previous(current: string): string | undefined {
    if (this.pos === 0) return undefined;
    if (this.pos === this.entries.length) this.draft = current;
    return this.entries[--this.pos];
  }

  /** The newer entry, the draft after the newest, or undefined when not browsing. */
  next(): string | undefined {
    if (this.pos >= this.entries.length) return undefined;
    this.pos++;
    return this.pos === this.entries.length ? this.draft : this.entries[this.pos];
  }

  list(): string[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
    this.pos = 0;
    this.draft = '';
  }
}
