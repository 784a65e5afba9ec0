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
  const head = `${label(node)} ${cites.node(node)}${columnOrigin(node, found.column?.node === node ? found.column.column?.name : undefined, up, cites)}`;
  if (!up.length) return `${head} has no upstream dependencies: it reads no model, seed, snapshot or source through \`ref()\`/\`source()\`.`;
  return `${head} is built from (upstream, up to ${depth} level${depth > 1 ? 's' : ''}):\n${levels(up, cites)}`;
};

/** Downstream; "upstream and downstream of X" (the chat's /lineage command) gets both directions, upstream first. */
export const downstreamAnswer: Handler = (q, ctx, found, cites) => {
  const down = downstreamOnly(q, ctx, found, cites);
  if (down === undefined || !/\bupstream\b/i.test(q) || found.all[0]?.node.resourceType === 'macro') return down;
  const up = upstreamAnswer(q, ctx, found, cites);
  return typeof up === 'string' ? `${up}\n\n${down}` : down;
};

const downstreamOnly: Handler = (q, ctx, found, cites) => {
  // "Which models use/call <macro>?" is about the macro's users, not lineage.
  const macro = found.all[0]?.node.resourceType === 'macro' ? found.all[0] : undefined;
  if (macro) return macroUsageAnswer(q, ctx, found, cites);
  const node = found.node;
  if (!node) return undefined;
  const depth = requestedDepth(q) ?? (/\bimpact|\bbreak|\baffect|\bif i\b/i.test(q) ? 50 : DEFAULT_DEPTH);
  let down = ctx.snap.graph.downstream(node.uniqueId, depth);
  const column = found.column?.column && found.column.node === node ? found.column.column.name : undefined;
  const mentions = (n: DbtNode) => !!column && new RegExp(`\\b${column}\\b`, 'i').test(`${n.rawCode ?? ''} ${JSON.stringify(n.props)}`);
  if (column) down = [...down.filter(d => mentions(d.node)), ...down.filter(d => !mentions(d.node))];
  const head = `${label(node)} ${cites.node(node)}`;
  const colNote = column ? `\n\n${down.filter(d => mentions(d.node)).length} of them use the column \`${column}\` by name (listed first): those break if it is renamed or dropped.` : '';
  if (!down.length) return `Nothing depends on ${head}: no model, snapshot, exposure or metric refers to it, so changing it affects no other dbt node.`;
  const exposures = down.filter(d => d.node.resourceType === 'exposure');
  const tail = exposures.length ? `\n\nExposures affected: ${exposures.map(e => label(e.node)).join(', ')}.` : '';
  return `${down.length} node${down.length > 1 ? 's' : ''} depend on ${head} (downstream${depth >= 50 ? ', all levels' : `, up to ${depth} levels`}):\n${levels(down, cites)}${tail}${colNote}`;
};

/** For "where does column X come from": the line that computes it and the upstream nodes holding its inputs. */
function columnOrigin(node: DbtNode, column: string | undefined, up: { node: DbtNode }[], cites: Parameters<Handler>[3]): string {
  if (!column || !node.rawCode || !node.location) return '';
  const lines = node.rawCode.split('\n');
  const i = lines.findIndex(l => new RegExp(`\\bas\\s+"?${column}"?\\b`, 'i').test(l));
  if (i < 0) return `; \`${column}\` is selected as is from its inputs`;
  const expr = lines[i].trim().replace(/,$/, '');
  const line = node.location.startLine + i;
  const inputs = (expr.replace(new RegExp(`\\bas\\s+"?${column}"?.*$`, 'i'), '').match(/[a-z_][a-z0-9_]*/gi) ?? []).map(x => x.toLowerCase());
  const holders = up.filter(u => u.node.columns.some(c => inputs.includes(c.name.toLowerCase()))).slice(0, 3);
  const from = holders.length ? `, from ${holders.map(h => `\`${h.node.name}\` ${cites.node(h.node)}`).join(', ')}` : '';
  return `: \`${column}\` is computed at line ${line} as \`${expr}\` ${cites.range({ path: node.location.path, startLine: line, endLine: line }, 'model', node)}${from}.\nThe full upstream`;
}

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

export const testsAnswer: Handler = (q, ctx, found, cites) => {
  const generic = found.all.find(m => typeof m.node.props.genericTest === 'string' && m.via !== 'words')?.node;
  if (generic) return genericTestUsage(generic, ctx, cites);
  const node = found.column && !found.node ? found.column.node : found.node;
  if (!node) return undefined;
  const column = found.column && found.column.node === node ? found.column.column : undefined;
  const tests = ctx.snap.graph.testsCovering(node.uniqueId, column?.name);
  const subject = column ? `column \`${column.name}\` of ${label(node)}` : label(node);
  if (!tests.length) return `No tests cover ${subject} ${cites.node(node)}. Consider \`unique\` and \`not_null\` on its key.`;
  const lines = tests.map(t => {
    const text = t.def ? testText(t.def) : `${t.testName}${t.column ? ` on ${t.column}` : ''}`;
    const owner = t.viaRelationship ? ctx.snap.graph.get(String(t.props.attachedTo ?? t.props.attached_node ?? '')) : undefined;
    const how = t.singular ? ' (singular test)' : t.viaRelationship ? ` (declared on \`${owner?.name ?? t.column ?? '?'}\`, pointing here)` : '';
    return `- ${text}${how} ${cites.node(t)}`;
  });
  return `${tests.length} test${tests.length > 1 ? 's' : ''} cover ${subject} ${cites.yaml(node) || cites.node(node)}:\n${lines.join('\n')}`;
};

/** Where a custom generic test (`{% test is_positive(model, column_name) %}`) is applied. */
function genericTestUsage(macro: DbtNode, ctx: Parameters<Handler>[1], cites: Parameters<Handler>[3]): string {
  const name = String(macro.props.genericTest);
  const uses = ctx.snap.graph.nodes().filter(n => n.resourceType === 'test' && testNameOf(n) === name);
  const head = `The generic test \`${name}\` ${cites.node(macro)}${macro.description ? ` (${macro.description.trim()})` : ''}`;
  if (!uses.length) return `${head} is not applied to any column or model.`;
  const lines = uses.slice(0, LIST_LIMIT).map(t => {
    const target = ctx.snap.graph.get(String(t.props.attachedTo ?? ''))?.name ?? t.refs[0]?.name ?? '?';
    const column = t.props.column ?? t.tests[0]?.column;
    return `- \`${target}${column ? `.${String(column)}` : ''}\` ${cites.node(t)}`;
  });
  return `${head} is applied ${uses.length} time${uses.length > 1 ? 's' : ''}:\n${lines.join('\n')}`;
}

function testNameOf(n: DbtNode): string | undefined {
  const raw = n.tests[0]?.name ?? (typeof n.props.testName === 'string' ? n.props.testName : undefined);
  return raw?.replace(/^.*\./, '');
}

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
  if (typeof macro.props.genericTest === 'string') return genericTestUsage(macro, ctx, cites);
  const users = ctx.snap.graph.macroUsers(macro.name);
  const head = `Macro \`${macro.name}\` ${cites.node(macro)}${macro.description ? ` (${macro.description.trim()})` : ''}`;
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
