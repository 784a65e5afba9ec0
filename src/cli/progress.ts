// A one-line progress bar on stderr when it is a terminal; plain phase lines otherwise.
import type { Progress, ProgressFn } from '../core/types';

export function progressBar(stream: NodeJS.WriteStream = process.stderr): ProgressFn & { done(): void } {
  let lastPhase = '';
  let lastDraw = 0;
  const tty = !!stream.isTTY;
  const fn = ((p: Progress) => {
    if (!tty) {
      if (p.phase !== lastPhase) stream.write(`${p.phase}…\n`);
      lastPhase = p.phase;
      return;
    }
    const now = Date.now();
    if (now - lastDraw < 80 && p.done < p.total) return;
    lastDraw = now;
    const width = 28;
    const frac = p.total ? Math.min(1, p.done / p.total) : 0;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    stream.write(`\r${bar} ${p.phase} ${p.done}/${p.total}${p.message ? ` ${p.message}` : ''}`.padEnd(90).slice(0, 120));
    lastPhase = p.phase;
  }) as ProgressFn & { done(): void };
  fn.done = () => { if (tty && lastPhase) stream.write('\r'.padEnd(100) + '\r'); };
  return fn;
}
