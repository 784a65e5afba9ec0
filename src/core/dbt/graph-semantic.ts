// Semantic-layer dependencies that are not ref() calls: a metric names measures (owned by semantic models)
// or other metrics; a saved query names metrics; an exposure may name metrics. Read from props as written in YAML / the manifest.
import type { DbtNode } from '../types';
import { prop } from './graph-node';

export interface SemanticNeeds {
  measures: string[];
  metrics: string[];
}

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** 'revenue' or { name: 'revenue' } → 'revenue'. */
function nameOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  const o = asObject(v);
  return typeof o?.name === 'string' ? o.name : undefined;
}

function names(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(nameOf).filter((s): s is string => !!s);
  const one = nameOf(v);
  return one ? [one] : [];
}

export function semanticNeeds(node: DbtNode): SemanticNeeds {
  const out: SemanticNeeds = { measures: [], metrics: [] };
  if (node.resourceType === 'metric') {
    const tp = asObject(prop(node, 'type_params', 'typeParams')) ?? {};
    out.measures.push(...names(tp.measure), ...names(tp.input_measures));
    const conv = asObject(tp.conversion_type_params) ?? {};
    out.measures.push(...names(conv.base_measure), ...names(conv.conversion_measure));
    out.metrics.push(...names(tp.metrics), ...names(tp.numerator), ...names(tp.denominator));
  } else if (node.resourceType === 'saved_query') {
    const qp = asObject(prop(node, 'query_params', 'queryParams')) ?? {};
    out.metrics.push(...names(qp.metrics));
  }
  // `metric('x')` in an exposure's (or old-spec metric's) depends_on: the file parser keeps the names in props.metrics.
  out.metrics.push(...names(prop(node, 'metrics')));
  return out;
}

/** Measure names a semantic model defines. */
export function measuresOf(node: DbtNode): string[] {
  return node.resourceType === 'semantic_model' ? names(prop(node, 'measures')) : [];
}
