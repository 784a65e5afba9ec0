// Offset → 1-based line number lookups over one file's text.

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of the character at `offset`. */
  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Line of the last non-whitespace character before `end` (exclusive), never before `start`. */
  lastLineBefore(start: number, end: number): number {
    let i = Math.min(end, this.text.length) - 1;
    while (i > start && /\s/.test(this.text[i])) i--;
    return this.lineAt(Math.max(i, start));
  }
}

/** Number of lines of a file as editors show them (a trailing newline does not start a new line). */
export function lineCount(text: string): number {
  if (!text) return 1;
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n - 1 : n;
}
