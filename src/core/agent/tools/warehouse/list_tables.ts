// list_tables: tables and views (optionally of one schema) with row counts, the dbt node that builds each and
// whether it is preferred (a documented dbt model); descriptions are quoted data.
import { qualified } from '../../catalog';
import { oneLine, untrusted } from '../../quote';
import { argString, errorText, fail, type AgentTool } from '../tool';

export const description = 'Lists tables and views with row counts, the dbt model that builds each, and a short description. ' +
  'Tables marked preferred are documented dbt models (marts): answer from them rather than raw or staging tables. ' +
  'Optional `schema` limits the list to one schema.';

const MAX = 200;

export const listTables: AgentTool = {
  spec: {
    name: 'list_tables', description,
    parameters: { type: 'object', properties: { schema: { type: 'string', description: 'Only tables of this schema (e.g. "marts").' } }, additionalProperties: false },
  },
  async run(args, ctx) {
    const schema = argString(args, 'schema')?.toLowerCase().split('.').pop();
    if (ctx.catalog.tables.length) {
      const list = ctx.catalog.tables.filter(t => !schema || t.table.schema.toLowerCase() === schema);
      if (!list.length) return fail(`no schema "${schema}"; schemas: ${[...new Set(ctx.catalog.tables.map(t => t.table.schema))].join(', ')}`);
      const lines = list.slice(0, MAX).map(t => {
        const about = oneLine(t.node?.description ?? t.table.comment, 110);
        return `${qualified(t.table)} (${t.table.kind}${t.table.rowCount !== undefined ? `, ${t.table.rowCount} rows` : ''}` +
          `${t.node ? `; dbt ${t.node.resourceType} ${t.node.name}` : ''}${t.preferred ? '; preferred' : ''})${about ? ` — ${about}` : ''}`;
      });
      if (list.length > MAX) lines.push(`… ${list.length - MAX} more: pass a schema`);
      return {
        ok: true, text: untrusted('table list', lines.join('\n')), summary: `${list.length} tables`,
        data: list.map(t => ({ name: qualified(t.table), kind: t.table.kind, rows: t.table.rowCount, node: t.node?.uniqueId, preferred: t.preferred })),
      };
    }
    try {
      const tables = await (await ctx.connection()).listTables(schema);
      const lines = tables.slice(0, MAX).map(t => `${t.schema}.${t.name} (${t.kind}${t.rowCount !== undefined ? `, ${t.rowCount} rows` : ''})${t.comment ? ` — ${oneLine(t.comment, 110)}` : ''}`);
      return { ok: true, text: untrusted('table list', lines.join('\n') || '(none)'), summary: `${tables.length} tables`, data: tables };
    } catch (e) {
      return fail(errorText(e));
    }
  },
};
