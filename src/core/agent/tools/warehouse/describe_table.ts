// describe_table: the exact columns and types of one table, with its dbt model's column docs (quoted data).
import { qualified, quotedSchemaText, type AgentTable } from '../../catalog';
import { argString, errorText, fail, type AgentTool } from '../tool';

export const description = 'Returns the exact columns and data types of a table or view, with the dbt documentation of the model ' +
  'that builds it (descriptions, tests). Call it before writing SQL against a table you have not described yet. ' +
  '`table` may be `name`, `schema.name` or `database.schema.name`, or the dbt model name.';

export const describeTable: AgentTool = {
  spec: {
    name: 'describe_table', description,
    parameters: { type: 'object', properties: { table: { type: 'string', description: 'Table name, e.g. "marts.fct_orders".' } }, required: ['table'], additionalProperties: false },
  },
  async run(args, ctx) {
    const name = argString(args, 'table');
    if (!name) return fail('describe_table needs `table`');
    const found = ctx.catalog.find(name);
    if (found) return described(found);
    try {
      const t = await (await ctx.connection()).describeTable(name);
      if (t) return described({ table: t, score: 0, preferred: false, depth: 0 });
    } catch (e) {
      return fail(`cannot describe ${name}: ${errorText(e)}`);
    }
    const near = ctx.catalog.similar(name).map(t => qualified(t.table));
    return fail(`no table "${name}"${near.length ? `; did you mean ${near.join(', ')}?` : ''}`, `no table ${name}`);
  },
};

function described(t: AgentTable) {
  const tests = t.node?.columns.flatMap(c => c.tests.map(x => `${c.name}: ${x.name}`)) ?? [];
  const text = quotedSchemaText(t) + (tests.length ? `\ndbt tests: ${tests.slice(0, 30).join('; ')}` : '');
  return {
    ok: true, text, summary: `${qualified(t.table)}: ${t.table.columns.length} columns`,
    data: { name: qualified(t.table), node: t.node?.uniqueId, columns: t.table.columns },
  };
}
