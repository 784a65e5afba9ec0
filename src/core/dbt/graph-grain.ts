// Best-effort grain (the columns that identify a row) of a model, from what the project declares.
import type { DbtNode } from '../types';
import { prop } from './graph-node';
import type { CoverageRecord } from './graph-tests';

export interface Grain {
  columns: string[];
  /** Where the grain comes from, for the answer: 'unique_key config', 'unique test on order_id', ... */
  evidence: string;
}

function asStrings(v: unknown): string[] {
  if (typeof v === 'string') return v.split(',').map(s => s.trim()).filter(Boolean);
  if (Array.isArray(v)) return v.filter((s): s is string => typeof s === 'string' && !!s.trim()).map(s => s.trim());
  return [];
}

function where(t: CoverageRecord): string {
  const loc = t.def?.location ?? t.node.location;
  return loc ? ` (${loc.path}:${loc.startLine})` : '';
}

function fromUniqueKey(node: DbtNode): Grain | undefined {
  const cols = asStrings(node.config.uniqueKey ?? node.config.other.unique_key);
  return cols.length ? { columns: cols, evidence: `unique_key config of the ${node.resourceType}` } : undefined;
}

function fromConstraints(node: DbtNode): Grain | undefined {
  const modelLevel = [prop(node, 'constraints'), node.config.other.constraints].flatMap(c => (Array.isArray(c) ? c : []));
  for (const c of modelLevel) {
    const o = c as { type?: unknown; columns?: unknown };
    if (o?.type === 'primary_key' && asStrings(o.columns).length) {
      return { columns: asStrings(o.columns), evidence: 'primary_key constraint on the model' };
    }
  }
  const cols = node.columns.filter(col => col.constraints.some(c => (c as { type?: unknown })?.type === 'primary_key'));
  return cols.length ? { columns: cols.map(c => c.name), evidence: 'primary_key constraint on the column' } : undefined;
}

function fromTests(tests: CoverageRecord[]): Grain | undefined {
  const own = tests.filter(t => !t.viaRelationship && !t.singular);
  for (const t of own) {
    if (!/(^|\.)unique_combination_of_columns$/.test(t.testName)) continue;
    const cols = asStrings(t.def?.args.combination_of_columns);
    if (cols.length) return { columns: cols, evidence: `${t.testName} test${where(t)}` };
  }
  const unique = own.find(t => t.testName === 'unique' && t.column);
  return unique ? { columns: [unique.column!], evidence: `unique test on ${unique.column}${where(unique)}` } : undefined;
}

/** Declared unique_key, then a primary_key constraint, then a unique-combination test, then a unique column test. */
export function grainOf(node: DbtNode, tests: CoverageRecord[]): Grain | undefined {
  return fromUniqueKey(node) ?? fromConstraints(node) ?? fromTests(tests);
}
