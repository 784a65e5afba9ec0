// Data tests on the documented columns: keys, accepted values, relationships, and the project's generic tests.
import type { Rng } from './random';
import type { Column, Model, TestSpec } from './plan';

export function assignTests(rng: Rng, models: Model[], macros: Set<string>): void {
  const owners = new Map<string, Model[]>();
  for (const m of models) if (m.pk) owners.set(m.pk, [...(owners.get(m.pk) ?? []), m]);
  for (const m of models) {
    for (const c of m.columns.slice(0, m.documented)) {
      if (m.layer !== 'staging') c.tests = downstreamTests(rng, c, macros);
      if (c.role === 'fk' && rng.chance(m.layer === 'staging' ? 0.4 : 0.25)) {
        const to = ownerOf(m, c.name, owners.get(c.name) ?? []);
        if (to) c.tests.push({ kind: 'relationships', to: to.name, field: c.name });
      }
    }
  }
}

function downstreamTests(rng: Rng, c: Column, macros: Set<string>): TestSpec[] {
  if (c.role === 'pk') return [{ kind: 'unique' }, { kind: 'not_null' }];
  if (c.role === 'fk') return rng.chance(0.3) ? [{ kind: 'not_null' }] : [];
  if (c.role === 'status' && c.values && rng.chance(0.4)) return [{ kind: 'accepted_values', values: c.values }];
  if (c.role === 'measure' && /amount|total|price|revenue|cost|spend/.test(c.name) && macros.has('test_is_positive') && rng.chance(0.1)) {
    return [{ kind: 'is_positive' }];
  }
  return [];
}

/** The model a foreign key points at: same source for staging, else a dimension, else staging. */
function ownerOf(m: Model, key: string, candidates: Model[]): Model | undefined {
  const others = candidates.filter(o => o !== m);
  if (m.source) {
    const same = others.find(o => o.source?.source === m.source!.source);
    if (same) return same;
  }
  return others.find(o => o.kind === 'dim') ?? others.find(o => o.layer === 'staging') ?? others[0];
}
