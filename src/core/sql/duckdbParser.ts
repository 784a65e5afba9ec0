// DuckDB's own parser, reached through `json_serialize_sql` on a private in-memory instance that never touches
// a file: it parses the text and serializes SELECT statements only (anything else is an error), which gives
// both the statement count and the AST to walk.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDbParse {
  /** DuckDB's message when it refused to parse or serialize (e.g. "Only SELECT statements can be serialized"). */
  error?: string;
  errorType?: string;
  /** One entry per statement: the statement's query node (SELECT_NODE, SET_OPERATION_NODE, …). */
  statements: DuckDbNode[];
}

/** A node of DuckDB's serialized AST (plain JSON). */
export type DuckDbNode = { [key: string]: unknown };

let parser: Promise<DuckDBConnection> | undefined;
let queue: Promise<unknown> = Promise.resolve();

async function connect(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:', { enable_external_access: 'false' });
  const c = await instance.connect();
  await c.run('SET lock_configuration = true');
  return c;
}

/** Parses `sql` with DuckDB's parser (no binding: tables need not exist). Never runs the statement. */
export function parseDuckDb(sql: string): Promise<DuckDbParse> {
  const run = queue.then(() => serialize(sql));
  queue = run.catch(() => undefined);
  return run;
}

async function serialize(sql: string): Promise<DuckDbParse> {
  parser ??= connect();
  let c: DuckDBConnection;
  try {
    c = await parser;
  } catch (e) {
    parser = undefined;
    throw e;
  }
  const reader = await c.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [sql]);
  const json = JSON.parse(String(reader.getRows()[0][0])) as { error?: boolean; error_type?: string; error_message?: string; statements?: { node: DuckDbNode }[] };
  if (json.error) return { error: json.error_message ?? 'parse error', errorType: json.error_type, statements: [] };
  return { statements: (json.statements ?? []).map(s => s.node) };
}
