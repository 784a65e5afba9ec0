// Earlier versions of a file, derived from its final text: each older version lacks one more "growable" line
// (a select column, a YAML description, a seed row); past that, a work-in-progress comment varies.
import { WIP_NOTES } from './vocab';

interface Parsed {
  lines: string[];
  removable: number[];
}

export class VersionRenderer {
  private cache = new Map<number, Parsed>();

  constructor(private readonly paths: string[], private readonly contents: string[]) {}

  /** Version `j` (0-based) of `total`; the last one is the final content. Consecutive versions always differ. */
  render(file: number, j: number, total: number): string {
    const content = this.contents[file];
    if (j >= total - 1) {
      this.cache.delete(file);
      return content;
    }
    const p = this.parsed(file);
    const behind = total - 1 - j;
    const drop = new Set(p.removable.slice(p.removable.length - Math.min(behind, p.removable.length)));
    const lines = drop.size ? p.lines.filter((_, i) => !drop.has(i)) : p.lines.slice();
    if (behind > p.removable.length) this.addNote(file, lines, j);
    return lines.join('\n');
  }

  private parsed(file: number): Parsed {
    let p = this.cache.get(file);
    if (!p) {
      const lines = this.contents[file].split('\n');
      const test = removableTest(this.paths[file]);
      p = { lines, removable: lines.map((l, i) => (test(l, i) ? i : -1)).filter(i => i >= 0) };
      this.cache.set(file, p);
    }
    return p;
  }

  private addNote(file: number, lines: string[], j: number): void {
    const path = this.paths[file];
    const note = WIP_NOTES[j % WIP_NOTES.length];
    if (path.endsWith('.csv')) {
      const sample = (lines[1] ?? lines[0]).split(',');
      sample[0] = `${sample[0]}_draft${j % WIP_NOTES.length}`;
      lines.splice(lines.length - 1, 0, sample.join(','));
    } else if (path.endsWith('.sql')) {
      lines.unshift(path.startsWith('macros/') ? `{# ${note} #}` : `-- ${note}`);
    } else if (path.endsWith('.md')) {
      lines.unshift(`<!-- ${note} -->`);
    } else {
      lines.unshift(`# ${note}`);
    }
  }
}

function removableTest(path: string): (line: string, index: number) => boolean {
  if (path.endsWith('.csv')) return (l, i) => i >= 2 && l.length > 0;
  if (path.endsWith('.yml')) return l => /^\s+description: /.test(l);
  if (path.endsWith('.md')) return l => l.startsWith('- ');
  if (path.endsWith('.sql') && !path.startsWith('macros/')) return l => /^\s+\S.*,$/.test(l) && !/^\s*\),$/.test(l);
  return () => false;
}
