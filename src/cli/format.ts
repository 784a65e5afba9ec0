// Printing answers and citations for people (text) and programs (--json).
import type { Answer, Citation } from '../core/types';

/** The exact JSON shape of `dea ask --json`. */
export function answerJson(a: Answer): string {
  return JSON.stringify({ answer: a.answer, mode: a.mode, citations: a.citations.map(citationJson) }, null, 2);
}

export function citationJson(c: Citation): { path: string; startLine?: number; endLine?: number; commit?: string; kind: string } {
  const out: { path: string; startLine?: number; endLine?: number; commit?: string; kind: string } = { path: c.path, kind: c.kind };
  if (c.startLine !== undefined) out.startLine = c.startLine;
  if (c.endLine !== undefined) out.endLine = c.endLine;
  if (c.commit) out.commit = c.commit;
  // key order as documented: path, startLine, endLine, commit, kind
  return { path: out.path, ...(out.startLine !== undefined ? { startLine: out.startLine } : {}), ...(out.endLine !== undefined ? { endLine: out.endLine } : {}),
    ...(out.commit ? { commit: out.commit } : {}), kind: out.kind };
}

export function citationText(c: Citation): string {
  const lines = c.startLine ? `:${c.startLine}${c.endLine && c.endLine !== c.startLine ? `-${c.endLine}` : ''}` : '';
  const commit = c.commit ? ` @ ${c.commit.slice(0, 10)}` : '';
  return `${c.path}${lines}${commit} (${c.kind})`;
}

export function printAnswer(a: Answer, out: (s: string) => void = s => process.stdout.write(s)): void {
  out(`${a.answer}\n`);
  if (a.citations.length) {
    out('\nSources:\n');
    a.citations.forEach((c, i) => out(`  [${i + 1}] ${citationText(c)}\n`));
  }
}
