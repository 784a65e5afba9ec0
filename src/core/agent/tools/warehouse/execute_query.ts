// execute_query: runs one read-only statement the model wrote. Enforced in order: the SQL guard (refusals are
// reported to the model and the UI), the identifier check against the catalog before anything runs, the user's
// confirmation, then the run with a row limit, a timeout and cancellation; personal data is masked in what the
// model reads. A failure returns the exact schema of the tables the statement used, for one retry.
import { qualified } from '../../catalog';
import { guardSql, identifierProblems, maskForModel } from '../../sqlSafety';
import { argString, errorText, fail, isAbort, type AgentTool, type ToolContext, type ToolRun } from '../tool';
import { resultForModel, schemasText, tablesOf } from './queryText';

export const description = 'Runs ONE read-only SQL statement (SELECT, or WITH … SELECT) in the warehouse and returns the rows ' +
  '(at most the row limit; aggregate in SQL). Write tables as schema.table exactly as listed and use only columns you have seen. ' +
  'Writes, DDL, settings, multiple statements and file access are refused. If the statement fails, the result shows the exact ' +
  'schema of the tables it used: fix it and retry once.';

export const executeQuery: AgentTool = {
  spec: {
    name: 'execute_query', description,
    parameters: {
      type: 'object',
      properties: { sql: { type: 'string', description: 'One read-only SELECT statement in the warehouse\'s SQL dialect.' } },
      required: ['sql'], additionalProperties: false,
    },
  },
  sqlOf: args => argString(args, 'sql'),
  async run(args, ctx) {
    const sql = argString(args, 'sql');
    if (!sql) return fail('execute_query needs `sql`');
    if (ctx.state.unavailable) return fail(`the warehouse is unavailable: ${ctx.state.unavailable}`);
    if (ctx.state.failures > ctx.settings.maxRetries) {
      return fail(`not run: ${ctx.state.failures} queries already failed for this question (the limit is ${ctx.settings.maxRetries} retries). ` +
        'Answer with what you know and say which query failed.', 'retry limit reached');
    }
    const guarded = await guardSql(sql, ctx.dialect);
    if (!guarded.ok) return refuse(sql, guarded.reason, ctx);
    const statement = guarded.statement;
    const unknown = ctx.snap.catalog && !ctx.snap.catalog.error ? await identifierProblems(statement, ctx.snap.catalog, ctx.dialect) : undefined;
    if (unknown) {
      ctx.state.failures++;
      const meant = [...new Set([...unknown.meant.map(n => ctx.catalog.find(n)), ...tablesOf(statement, ctx)].filter(t => !!t))];
      return {
        ok: false, sql: statement, summary: `not run: ${unknown.summary}`,
        text: `ERROR (not run): ${unknown.message}\n` +
          (meant.length ? `Exact schema of the tables this statement meant:\n${schemasText(meant)}\n` : '') +
          'Fix the statement using exactly these names and retry once.',
      };
    }
    if (ctx.settings.confirmQuery && !(await ctx.settings.confirmQuery(statement))) {
      ctx.state.declined = statement;
      return {
        ok: false, sql: statement, summary: 'declined by the user',
        text: 'NOT RUN: the user declined this query. Do not propose it again; answer without it, or say which query would answer the question.',
      };
    }
    return run(statement, ctx);
  },
};

function refuse(sql: string, reason: string, ctx: ToolContext): ToolRun {
  ctx.state.failures++;
  ctx.emit({ type: 'refused', id: ctx.callId, sql, reason });
  return {
    ok: false, sql, refused: reason, summary: `refused: ${reason}`,
    text: `REFUSED (not run): ${reason}\nOnly one read-only SELECT (or WITH … SELECT) statement is allowed: no writes, DDL, settings, ` +
      'transactions or file access. Rewrite it as a single SELECT if the question can be answered that way.',
  };
}

async function run(statement: string, ctx: ToolContext): Promise<ToolRun> {
  let conn;
  try {
    conn = await ctx.connection();
  } catch (e) {
    return fail(`the warehouse is unavailable: ${errorText(e)}`, 'warehouse unavailable');
  }
  try {
    const result = await conn.query(statement, { maxRows: ctx.settings.maxRows, timeoutMs: ctx.settings.timeoutMs, signal: ctx.signal });
    const { sent, masked } = maskForModel(result, ctx.settings.allowPersonalData, tablesOf(statement, ctx).map(t => t.table.name));
    ctx.state.last = { sql: statement, result, sent, masked };
    ctx.state.declined = undefined;
    return {
      ok: true, sql: statement, result, summary: `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${Math.round(result.elapsedMs)} ms`,
      text: resultForModel('query result', sent, masked),
    };
  } catch (e) {
    if (isAbort(e, ctx.signal)) throw e;
    ctx.state.failures++;
    const used = tablesOf(statement, ctx);
    return {
      ok: false, sql: statement, summary: `failed: ${errorText(e).split('\n')[0]}`,
      text: `ERROR: the statement failed: ${errorText(e)}\n` +
        (used.length ? `Exact schema of the tables it used (${used.map(t => qualified(t.table)).join(', ')}):\n${schemasText(used)}\n` : '') +
        'Fix the statement using exactly these columns and retry once.',
    };
  }
}
