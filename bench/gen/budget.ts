// Splits the requested number of documented YAML columns over source tables and models, exactly.
import type { Rng } from './random';

/** Integer shares of `total` proportional to `weights` (largest-remainder rounding): they sum to `total`. */
export function splitExactly(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const raw = weights.map(w => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r - Math.floor(r) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k].i]++;
  return out;
}

/** Random weights around a per-layer mean, so some entities are documented richly and some barely. */
export function columnWeights(rng: Rng, layerFactors: number[]): number[] {
  return layerFactors.map(f => f * (0.3 + 1.4 * rng.next()));
}
