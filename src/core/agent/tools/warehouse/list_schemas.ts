// list_schemas: the warehouse's databases and schemas with how many tables each holds and how many dbt builds.
import { untrusted } from '../../quote';
import { errorText, fail, type AgentTool } from '../tool';

export const description = 'Lists the schemas of the warehouse (database.schema) with their table counts and how many tables are built by ' +
  'dbt models. Call it first when you do not know where the data lives.';

export const listSchemas: AgentTool = {
  spec: { name: 'list_schemas', description, parameters: { type: 'object', properties: {}, additionalProperties: false } },
  async run(_args, ctx) {
    const tables = ctx.catalog.tables;
    if (tables.length) {
      const groups = new Map<string, { tables: number; dbt: number; preferred: number }>();
      for (const t of tables) {
        const k = `${t.table.database}.${t.table.schema}`;
        const g = groups.get(k) ?? { tables: 0, dbt: 0, preferred: 0 };
        g.tables++;
        if (t.node) g.dbt++;
        if (t.preferred) g.preferred++;
        groups.set(k, g);
      }
      const rows = [...groups.entries()].map(([k, g]) => `${k}: ${g.tables} tables, ${g.dbt} built by dbt, ${g.preferred} preferred`);
      return { ok: true, text: rows.join('\n'), summary: `${groups.size} schemas`, data: [...groups.entries()].map(([k, g]) => ({ schema: k, ...g })) };
    }
    try {
      const schemas = await (await ctx.connection()).listSchemas();
      const text = schemas.map(s => `${s.database}.${s.schema}`).join('\n');
      return { ok: true, text: untrusted('warehouse schemas', text || '(none)'), summary: `${schemas.length} schemas`, data: schemas };
    } catch (e) {
      return fail(errorText(e));
    }
  },
};
