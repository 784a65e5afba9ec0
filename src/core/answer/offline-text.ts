// Offline answers read from descriptions and code: where things are defined, what columns mean, metrics,
// descriptions, and, for anything else, the best retrieved passages.
import type { DbtNode, SearchHit } from '../types';
import type { Handler } from './offline';
import { configText, displayName } from '../documents/describe';
import { where } from './citations';
import { isStrong } from '../retrieval/entities';

const PASSAGES = 5;
const BUSINESS_TERMS = ['metric', 'saved_query', 'semantic_model', 'exposure'];

export const definitionAnswer: Handler = (_q, _ctx, found, cites) => {
  const node = found.column && !found.node ? found.column.node : found.node;
  if (!node) return undefined;
  const kind = node.resourceType.replace('_', ' ');
  const file = node.location ? `is defined in ${where(node.location)} ${cites.node(node)}` : '';
  const yaml = node.yamlLocation && node.yamlLocation.path !== node.location?.path
    ? `${file ? ' and documented' : 'is declared'} in ${where(node.yamlLocation)} ${cites.yaml(node)}` : '';
  const desc = node.description ? `\n\n${oneLine(node.description)}` : '';
  return `The ${kind} \`${displayName(node)}\` ${file}${yaml}.${desc}`;
};

export const columnAnswer: Handler = (_q, ctx, found, cites) => {
  const m = found.column;
  if (!m?.column) return undefined;
  const col = m.column;
  const others = found.all.filter(x => x.column && x.column.name === col.name && x.node !== m.node && x.column.description);
  const asked = found.node && found.node !== m.node && !found.node.columns.some(c => c.name === col.name) ? found.node : undefined;
  const missing = asked ? `\`${displayName(asked)}\` has no column \`${col.name}\` ${cites.node(asked)}; the column is documented on \`${displayName(m.node)}\`.\n` : '';
  const desc = col.description ? `"${oneLine(col.description)}"` : 'not documented';
  const colCite = cites.range(col.location ?? m.node.yamlLocation, 'column', m.node);
  const type = col.dataType ? ` Type: \`${col.dataType}\`.` : warehouseType(ctx, m.node, col.name);
  const tests = col.tests.length ? ` Tests: ${col.tests.map(t => t.name).join(', ')}.` : '';
  const docs = col.docRefs.map(d => ctx.snap.projects.flatMap(p => p.docBlocks).find(b => b.name === d)).filter(Boolean)
    .map(b => cites.range(b!.location, 'doc')).join(' ');
  let text = `${missing}Column \`${col.name}\` of \`${displayName(m.node)}\` ${colCite}${docs ? ` ${docs}` : ''}: ${desc}.${type}${tests}` +
    `\nIt is computed in ${where(m.node.location)} ${cites.node(m.node)}.`;
  if (others.length) {
    text += `\n\nThe same column name elsewhere:\n${others.slice(0, 5).map(o => `- \`${displayName(o.node)}\`: "${o.column!.description}" ${cites.range(o.column!.location ?? o.node.yamlLocation, 'column', o.node)}`).join('\n')}`;
  }
  return text;
};

function warehouseType(ctx: Parameters<Handler>[1], node: DbtNode, column: string): string {
  const table = ctx.snap.catalog?.tables.find(t => t.nodeId === node.uniqueId);
  const c = table?.columns.find(x => x.name.toLowerCase() === column.toLowerCase());
  return c ? ` Warehouse type: \`${c.type}\` (${table!.schema}.${table!.name}).` : '';
}

export const metricAnswer: Handler = (_q, ctx, found, cites) => {
  const metric = found.all.find(m => ['metric', 'semantic_model', 'saved_query'].includes(m.node.resourceType))?.node;
  if (metric) return describeNode(metric, ctx, cites) + metricTrail(metric, ctx, cites);
  const node = found.node;
  if (!node) return undefined;
  const metrics = ctx.snap.graph.metricsOf(node.uniqueId);
  if (!metrics.length) return undefined;
  return `Metrics and semantic models built on \`${displayName(node)}\` ${cites.node(node)}:\n` +
    metrics.map(x => `- \`${x.name}\` (${x.resourceType.replace('_', ' ')})${x.description ? `: ${x.description}` : ''} ${cites.node(x)}`).join('\n');
};

export const describeAnswer: Handler = (q, ctx, found, cites) => {
  if (found.column && (!found.node || found.column.score > 10)) return columnAnswer(q, ctx, found, cites);
  // Only a thing named exactly is described; a question in words ("how are customers tiered?") is a search.
  // Business terms named by a plain word ('revenue' the metric) count; plain words naming tables ('customers') do not.
  const exact = found.all.find(m => !m.column && (isStrong(m) || (m.via === 'exact' && BUSINESS_TERMS.includes(m.node.resourceType))));
  if (!exact) return passagesAnswer(q, ctx, found, cites);
  const node = exact.node;
  const text = describeNode(node, ctx, cites);
  return node.resourceType === 'metric' ? text + metricTrail(node, ctx, cites) : text;
};

/** metric -> measure -> semantic model -> model column: where the number really comes from. */
function metricTrail(metric: DbtNode, ctx: Parameters<Handler>[1], cites: Parameters<Handler>[3]): string {
  const measures = measureNames(metric.props.type_params);
  const lines: string[] = [];
  for (const sm of ctx.snap.graph.nodes().filter(n => n.resourceType === 'semantic_model')) {
    const defs = (Array.isArray(sm.props.measures) ? sm.props.measures : []) as { name?: string; expr?: unknown; agg?: string }[];
    for (const m of defs.filter(d => d.name && measures.includes(d.name))) {
      const expr = String(m.expr ?? m.name);
      const model = sm.refs[0] ? ctx.snap.graph.resolve(sm.refs[0].name) : undefined;
      const col = model?.columns.find(c => c.name === expr);
      const doc = col?.docRefs.map(d => ctx.snap.projects.flatMap(p => p.docBlocks).find(b => b.name === d)).find(Boolean);
      lines.push(`- measure \`${m.name}\` = ${m.agg ?? 'agg'}(\`${expr}\`) in semantic model \`${sm.name}\` ${cites.node(sm)}` +
        (model ? ` over \`${model.name}\` ${cites.node(model)}` : '') +
        (col ? `; \`${expr}\`: ${col.description ?? '(undocumented)'} ${cites.range(col.location, 'column', model)}${doc ? ` ${cites.range(doc.location, 'doc')}` : ''}` : ''));
    }
  }
  return lines.length ? `\n\nWhere the number comes from:\n${lines.join('\n')}` : '';
}

function measureNames(typeParams: unknown): string[] {
  const out: string[] = [];
  const visit = (v: unknown, key?: string) => {
    if (typeof v === 'string' && (key === 'measure' || key === 'numerator' || key === 'denominator' || key === 'name')) out.push(v);
    else if (Array.isArray(v)) v.forEach(x => visit(x, key));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(typeParams);
  return out;
}

function describeNode(node: DbtNode, ctx: Parameters<Handler>[1], cites: Parameters<Handler>[3]): string {
  const lines = [`**${displayName(node)}** (${node.resourceType.replace('_', ' ')}) ${cites.node(node)}${node.yamlLocation ? ` ${cites.yaml(node)}` : ''}`];
  lines.push(node.description ? oneLine(node.description) : '_No description in the YAML._');
  const cfg = configText(node);
  if (cfg) lines.push(`Config: ${cfg}.`);
  const up = ctx.snap.graph.upstream(node.uniqueId, 1).map(u => `\`${displayName(u.node)}\``);
  if (up.length) lines.push(`Reads from: ${up.join(', ')}.`);
  const down = ctx.snap.graph.downstream(node.uniqueId, 1).map(u => `\`${displayName(u.node)}\``);
  if (down.length) lines.push(`Used by: ${down.join(', ')}.`);
  const type = node.props.type_params ?? node.props.measures;
  if (type) lines.push(`Definition: \`${JSON.stringify(type).slice(0, 400)}\``);
  if (node.columns.length) lines.push(`Columns: ${node.columns.slice(0, 30).map(c => `\`${c.name}\``).join(', ')}${node.columns.length > 30 ? ', …' : ''}.`);
  return lines.join('\n');
}

export const passagesAnswer: Handler = async (q, ctx, found, cites) => {
  const hits = (await ctx.retriever.search(q, PASSAGES * 2)).filter(h => relevant(h)).slice(0, PASSAGES);
  if (!hits.length) return undefined;
  const parts = hits.map(h => `- **${h.doc.title}** ${`[${cites.add(h.doc.citation)}]`}: ${excerpt(h.doc.text, q)}`);
  return `The most relevant places in the project:\n${parts.join('\n')}`;
};

function relevant(h: SearchHit): boolean {
  return (h.signals.exact ?? 0) > 0 || (h.signals.keyword ?? 0) > 0 || (h.signals.vector ?? 0) > 0.35;
}

/** The sentence or line of a passage that shares the most words with the question. */
function excerpt(text: string, q: string): string {
  const words = new Set(q.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? []);
  const lines = text.split('\n').map(l => l.trim()).filter(Boolean);
  let best = lines[0] ?? '';
  let bestScore = -1;
  for (const l of lines) {
    const s = (l.toLowerCase().match(/[a-z0-9_]{3,}/g) ?? []).filter(w => words.has(w)).length;
    if (s > bestScore) { best = l; bestScore = s; }
  }
  return best.length > 240 ? `${best.slice(0, 240)}…` : best;
}

/** Descriptions written as YAML block scalars keep their line breaks; answers read better without them. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
