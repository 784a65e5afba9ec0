// Offline answers read from the lineage graph: lineage both ways, sources, tests, exposures, macros, grain, config.
import type { DbtNode } from '../types';
import type { Handler } from './offline';
import { requestedDepth } from './intent';
import { configText, displayName, testText } from '../documents/describe';
import { where } from './citations';

const DEFAULT_DEPTH = 2;
const LIST_LIMIT = 40;

const label = (n: DbtNode) => `\`${displayName(n)}\`${n.resourceType === 'model' ? '' : ` (${n.resourceType.replace('_', ' ')})`}`;

export const upstreamAnswer: Handler = (q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  const depth = requestedDepth(q) ?? DEFAULT_DEPTH;
  const up = ctx.snap.graph.upstream(node.uniqueId, depth);
  const head = `${label(node)} ${cites.node(node)}`;
  if (!up.length) return `${head} has no upstream dependencies: it reads no model, seed, snapshot or source through \`ref()\`/\`source()\`.`;
  return `${head} is built from (upstream, up to ${depth} level${depth > 1 ? 's' : ''}):\n${levels(up, cites)}`;
};

export const downstreamAnswer: Handler = (q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  const depth = requestedDepth(q) ?? (/\bimpact|\bbreak|\baffect|\bif i\b/i.test(q) ? 50 : DEFAULT_DEPTH);
  const down = ctx.snap.graph.downstream(node.uniqueId, depth);
  const head = `${label(node)} ${cites.node(node)}`;
  if (!down.length) return `Nothing depends on ${head}: no model, snapshot, exposure or metric refers to it, so changing it affects no other dbt node.`;
  const exposures = down.filter(d => d.node.resourceType === 'exposure');
  const tail = exposures.length ? `\n\nExposures affected: ${exposures.map(e => label(e.node)).join(', ')}.` : '';
  return `${down.length} node${down.length > 1 ? 's' : ''} depend on ${head} (downstream${depth >= 50 ? ', all levels' : `, up to ${depth} levels`}):\n${levels(down, cites)}${tail}`;
};

function levels(items: { node: DbtNode; depth: number }[], cites: { node(n: DbtNode): string }): string {
  const shown = items.slice(0, LIST_LIMIT).map(({ node, depth }) => `${'  '.repeat(Math.max(0, depth - 1))}- ${label(node)} ${cites.node(node)}`);
  const more = items.length > LIST_LIMIT ? `\n- … and ${items.length - LIST_LIMIT} more` : '';
  return shown.join('\n') + more;
}

export const sourcesAnswer: Handler = (_q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  if (node.resourceType === 'source') return `${label(node)} is itself a source ${cites.node(node)}.`;
  const sources = ctx.snap.graph.sourcesFeeding(node.uniqueId);
  const head = `${label(node)} ${cites.node(node)}`;
  if (!sources.length) return `No dbt source feeds ${head}; its inputs are seeds or models without sources upstream.`;
  const list = sources.map(s => `- ${label(s)}${s.props.loader ? `, loaded by ${String(s.props.loader)}` : ''} ${cites.node(s)}`);
  return `${sources.length} source table${sources.length > 1 ? 's' : ''} feed ${head}:\n${list.join('\n')}`;
};

export const testsAnswer: Handler = (_q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  const column = found.column && found.column.node === node ? found.column.column : undefined;
  const tests = ctx.snap.graph.testsCovering(node.uniqueId, column?.name);
  const subject = column ? `column \`${column.name}\` of ${label(node)}` : label(node);
  if (!tests.length) return `No tests cover ${subject} ${cites.node(node)}. Consider \`unique\` and \`not_null\` on its key.`;
  const lines = tests.map(t => {
    const def = (t.props.test ?? undefined) as Parameters<typeof testText>[0] | undefined;
    const text = def ? testText(def) : t.name;
    return `- ${text}${t.rawCode ? ' (singular test)' : ''} ${cites.node(t)}`;
  });
  return `${tests.length} test${tests.length > 1 ? 's' : ''} cover ${subject} ${cites.yaml(node) || cites.node(node)}:\n${lines.join('\n')}`;
};

export const exposuresAnswer: Handler = (_q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  if (node.resourceType === 'exposure') return describeExposure(node, ctx.snap.graph, cites);
  const exposures = ctx.snap.graph.exposuresOf(node.uniqueId);
  if (!exposures.length) return `No exposure (dashboard, notebook, application) depends on ${label(node)} ${cites.node(node)}.`;
  const list = exposures.map(e => `- ${label(e)}${e.props.type ? ` — ${String(e.props.type)}` : ''}${ownerText(e)} ${cites.node(e)}`);
  return `${exposures.length} exposure${exposures.length > 1 ? 's' : ''} depend on ${label(node)} ${cites.node(node)}:\n${list.join('\n')}`;
};

function describeExposure(e: DbtNode, graph: { upstream(id: string, d: number): { node: DbtNode }[] }, cites: { node(n: DbtNode): string }): string {
  const deps = graph.upstream(e.uniqueId, 1).map(d => `${label(d.node)} ${cites.node(d.node)}`);
  return `Exposure ${label(e)} ${cites.node(e)}${e.props.type ? ` is a ${String(e.props.type)}` : ''}${ownerText(e)}` +
    `${e.description ? `: ${e.description}` : '.'}\nIt depends on: ${deps.join(', ') || 'nothing declared'}.`;
}

function ownerText(e: DbtNode): string {
  const owner = e.props.owner as { name?: string; email?: string } | undefined;
  return owner?.name || owner?.email ? `, owned by ${owner.name ?? ''}${owner.email ? ` <${owner.email}>` : ''}` : '';
}

export const macroUsageAnswer: Handler = (_q, ctx, found, cites) => {
  const macro = found.all.find(m => m.node.resourceType === 'macro')?.node;
  if (!macro) return undefined;
  const users = ctx.snap.graph.macroUsers(macro.name);
  const head = `Macro \`${macro.name}\` ${cites.node(macro)}${macro.description ? ` (${macro.description})` : ''}`;
  if (!users.length) return `${head} is not called by any model, macro or test in this workspace.`;
  const list = users.slice(0, LIST_LIMIT).map(u => `- ${label(u)} ${cites.node(u)}`);
  return `${head} is used by ${users.length} node${users.length > 1 ? 's' : ''}:\n${list.join('\n')}`;
};

export const grainAnswer: Handler = (_q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  const grain = ctx.snap.graph.grain(node.uniqueId);
  if (!grain) {
    return `${label(node)} ${cites.node(node)} declares no grain: no \`unique_key\`, \`unique\` test or primary-key constraint. ` +
      `Its SQL is the place to look${node.description ? `; its description says: "${node.description}"` : ''}.`;
  }
  return `${label(node)} has one row per **${grain.columns.join(' + ')}** ${cites.yaml(node)} ${cites.node(node)} — evidence: ${grain.evidence}.` +
    `${node.description ? `\n\nDescription: ${node.description}` : ''}`;
};

export const configAnswer: Handler = (_q, ctx, found, cites) => {
  const node = found.node;
  if (!node) return undefined;
  const cfg = configText(node) || 'no explicit config (dbt defaults: materialized as a view)';
  const project = ctx.snap.projects.find(p => p.info.name === node.project);
  const projectCite = project ? cites.range({ path: project.info.configPath, startLine: 1, endLine: 1 }, 'project_config') : '';
  const inc = node.isIncremental || node.config.materialized === 'incremental'
    ? `\nIt is incremental${node.config.uniqueKey ? ` on \`${String(node.config.uniqueKey)}\`` : ' (no unique_key: new rows are appended)'}` +
      `${node.isIncremental ? '; its SQL filters new rows inside `{% if is_incremental() %}`' : ''}.`
    : '';
  return `${label(node)} ${cites.node(node)} is configured with ${cfg}${node.yamlLocation ? ` ${cites.yaml(node)}` : ''}. ` +
    `Folder-level defaults come from \`dbt_project.yml\` ${projectCite}.${inc}${node.location ? `\nDefined at ${where(node.location)}.` : ''}`;
};
