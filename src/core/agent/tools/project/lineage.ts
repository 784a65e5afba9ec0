// lineage: parents/children of a dbt node with their files and the warehouse relation each builds.
import { displayName } from '../../../documents/describe';
import type { DbtNode } from '../../../types';
import { qualified } from '../../catalog';
import { argNumber, argString, fail, type AgentTool, type ToolContext } from '../tool';

export const description = 'Upstream (parents) and downstream (children) of a dbt model, source, seed or snapshot, with each node\'s ' +
  'file and the warehouse table it builds. Use it to see which mart is built from which staging data.';

export const lineage: AgentTool = {
  spec: {
    name: 'lineage', description,
    parameters: {
      type: 'object',
      properties: {
        model: { type: 'string', description: 'Model/source/seed name, unique_id or file path.' },
        direction: { type: 'string', enum: ['upstream', 'downstream', 'both'], description: 'Default both.' },
        depth: { type: 'number', description: 'Levels to follow (1-6, default 2).' },
      },
      required: ['model'], additionalProperties: false,
    },
  },
  async run(args, ctx) {
    const name = argString(args, 'model');
    if (!name) return fail('lineage needs `model`');
    const node = ctx.snap.graph.resolve(name) ?? ctx.catalog.find(name)?.node;
    if (!node) return fail(`no model, source, seed or snapshot named "${name}"`);
    const dir = argString(args, 'direction') ?? 'both';
    const depth = argNumber(args, 'depth', 2, 1, 6);
    const up = dir === 'downstream' ? [] : ctx.snap.graph.upstream(node.uniqueId, depth);
    const down = dir === 'upstream' ? [] : ctx.snap.graph.downstream(node.uniqueId, depth);
    const line = (n: DbtNode, d: number, arrow: string) => `${'  '.repeat(d)}${arrow} ${displayName(n)} (${n.resourceType}${relation(n, ctx)})  ${n.location?.path ?? n.yamlLocation?.path ?? ''}`;
    const text = [
      `${displayName(node)} (${node.resourceType}${relation(node, ctx)})  ${node.location?.path ?? ''}`,
      up.length ? `upstream:\n${up.map(h => line(h.node, h.depth, '↑')).join('\n')}` : dir !== 'downstream' ? 'upstream: none' : '',
      down.length ? `downstream:\n${down.map(h => line(h.node, h.depth, '↓')).join('\n')}` : dir !== 'upstream' ? 'downstream: none' : '',
    ].filter(Boolean).join('\n');
    const item = (n: DbtNode, d: number) => ({ uniqueId: n.uniqueId, name: displayName(n), depth: d, path: n.location?.path });
    return { ok: true, text, summary: `${up.length} upstream, ${down.length} downstream`, data: { node: node.uniqueId, upstream: up.map(h => item(h.node, h.depth)), downstream: down.map(h => item(h.node, h.depth)) } };
  },
};

function relation(n: DbtNode, ctx: ToolContext): string {
  const t = ctx.catalog.tables.find(x => x.node?.uniqueId === n.uniqueId);
  return t ? `, table ${qualified(t.table)}` : '';
}
