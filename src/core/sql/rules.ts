// What the read-only guard refuses and why, in one place: statement keywords, DuckDB table/scalar functions,
// Snowflake functions. Each refusal names what was found and what is allowed instead.

/** Why a statement that starts with (or contains) this keyword is refused. */
const STATEMENT_REASONS: [string[], string][] = [
  [['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'TRUNCATE', 'REPLACE'], 'changes data'],
  [['CREATE', 'ALTER', 'DROP', 'UNDROP', 'RENAME', 'COMMENT', 'GRANT', 'REVOKE'], 'changes the schema or permissions'],
  [['COPY', 'PUT', 'GET', 'REMOVE', 'RM', 'LIST', 'LS', 'EXPORT', 'IMPORT', 'UNLOAD'], 'reads or writes files'],
  [['ATTACH', 'DETACH', 'USE'], 'changes which databases are attached or used'],
  [['INSTALL', 'LOAD', 'FORCE'], 'installs or loads extensions'],
  [['PRAGMA', 'SET', 'RESET', 'UNSET'], 'changes settings'],
  [['CALL', 'EXECUTE', 'EXEC', 'DECLARE', 'DO', 'PROCEDURE', 'IMMEDIATE'], 'runs procedures or scripts'],
  [['BEGIN', 'START', 'COMMIT', 'ROLLBACK', 'END', 'ABORT', 'SAVEPOINT', 'RELEASE', 'TRANSACTION'], 'controls transactions'],
  [['VACUUM', 'CHECKPOINT', 'ANALYZE'], 'maintains storage'],
  [['INTO'], 'writes the result somewhere (SELECT … INTO / INSERT INTO / COPY INTO)'],
  [['PREPARE', 'DEALLOCATE'], 'prepares statements to run later'],
  [['PIVOT', 'UNPIVOT'], 'is a PIVOT statement (write it as SELECT … FROM t PIVOT (…) instead)'],
];

const REASON_BY_KEYWORD = new Map<string, string>(STATEMENT_REASONS.flatMap(([kws, why]) => kws.map(k => [k, why] as [string, string])));

export const ALLOWED = 'Only one SELECT, WITH … SELECT, SHOW, DESCRIBE or EXPLAIN statement may run.';

/** "`COPY` reads or writes files", or a generic line for an unknown statement keyword. */
export function whyRefused(keyword: string): string {
  const why = REASON_BY_KEYWORD.get(keyword.toUpperCase());
  return why ? `\`${keyword.toUpperCase()}\` ${why}` : `\`${keyword.toUpperCase()}\` does not start a read-only statement`;
}

// ---------------------------------------------------------------- Snowflake

/**
 * Words refused anywhere in a Snowflake statement outside strings, comments and quoted identifiers: none can
 * appear in a read-only SELECT/SHOW/DESCRIBE, and each starts or marks a write, a file transfer, a session
 * change, a procedure or a transaction (e.g. `WITH p AS PROCEDURE … CALL p()`, `SELECT … INTO`).
 * Unquoted columns with these names must be double-quoted. (DuckDB decides with its parser; there these words
 * only name what the parser refused.)
 */
export const FORBIDDEN_WORDS = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'UPSERT', 'TRUNCATE', 'CREATE', 'ALTER', 'DROP', 'UNDROP', 'GRANT', 'REVOKE',
  'COPY', 'PUT', 'GET', 'REMOVE', 'INTO', 'USE', 'SET', 'UNSET', 'CALL', 'EXECUTE', 'IMMEDIATE', 'PROCEDURE',
  'BEGIN', 'COMMIT', 'ROLLBACK', 'DECLARE', 'TRANSACTION',
]);

/** Forbidden words that are also Snowflake functions: allowed when a `(` follows (INSERT(s, p, n, x), GET(v, k), TRUNCATE(n, d)). */
export const SNOWFLAKE_FUNCTION_WORDS = new Set(['INSERT', 'GET', 'TRUNCATE']);

/** SYSTEM$ functions that only read; every other SYSTEM$ function is refused (many cancel queries, abort sessions or change objects). */
const SNOWFLAKE_SYSTEM_ALLOWED = new Set(['SYSTEM$TYPEOF', 'SYSTEM$CLUSTERING_INFORMATION', 'SYSTEM$CLUSTERING_DEPTH', 'SYSTEM$EXPLAIN_PLAN_JSON', 'SYSTEM$EXPLAIN_JSON_TO_TEXT']);

/** Functions that read files in stages or hand out URLs to them. */
const SNOWFLAKE_FILE_FUNCTIONS = new Set([
  'INFER_SCHEMA', 'GET_PRESIGNED_URL', 'BUILD_SCOPED_FILE_URL', 'BUILD_STAGE_FILE_URL', 'GET_STAGE_LOCATION', 'GET_RELATIVE_PATH',
  'GET_ABSOLUTE_PATH', 'DIRECTORY', 'TO_FILE', 'PARSE_DOCUMENT',
]);

/** Why a Snowflake function call is refused, or undefined when it may run. */
export function snowflakeFunctionProblem(name: string): string | undefined {
  const n = name.toUpperCase().replace(/^.*\./, '');
  if (n.startsWith('SYSTEM$') && !SNOWFLAKE_SYSTEM_ALLOWED.has(n)) return `the function \`${n}\` is refused: SYSTEM$ functions can cancel queries, abort sessions or change objects`;
  if (SNOWFLAKE_FILE_FUNCTIONS.has(n)) return `the function \`${n}\` reads or exposes staged files`;
  return undefined;
}

// ---------------------------------------------------------------- DuckDB

/**
 * Table functions allowed in FROM: generators and the read-only catalog functions. Everything else is refused,
 * among them every file/network reader (read_csv*, read_parquet, read_json*, read_text, read_blob, glob,
 * parquet_scan, sniff_csv, iceberg_scan, delta_scan, sqlite_scan, …), query()/query_table() (run SQL text that
 * the guard never saw), pragma_* functions and duckdb_settings/duckdb_secrets/duckdb_extensions/… (settings,
 * secrets, file paths), plus unknown table macros.
 */
export const DUCKDB_TABLE_FUNCTIONS = new Set([
  'range', 'generate_series', 'unnest', 'json_each', 'json_tree',
  'duckdb_tables', 'duckdb_columns', 'duckdb_views', 'duckdb_schemas', 'duckdb_databases', 'duckdb_types',
  'duckdb_constraints', 'duckdb_indexes', 'duckdb_functions', 'duckdb_keywords', 'duckdb_dependencies', 'duckdb_sequences',
]);

/**
 * Scalar functions refused: getenv/current_setting leak the environment and settings (API keys live there),
 * nextval/setseed/set_variable/write_log change state. Names that look like readers are refused too.
 */
const DUCKDB_SCALAR_REFUSED = new Map<string, string>([
  ['getenv', 'reads environment variables'],
  ['current_setting', 'reads configuration settings'],
  ['nextval', 'advances a sequence (changes state)'],
  ['setseed', 'changes the session state'],
  ['set_variable', 'changes the session state'],
  ['write_log', 'writes to the log'],
  ['json_execute_serialized_sql', 'runs SQL text the guard never saw'],
]);

const READER_NAME = /^(read_|parquet_|sniff_|glob$|iceberg_|delta_|sqlite_|postgres_|mysql_|http|s3_|azure_|gcs_|excel|pragma_|query$|query_table$)/i;

/** Why a DuckDB table function in FROM is refused, or undefined. */
export function duckDbTableFunctionProblem(name: string): string | undefined {
  const n = name.toLowerCase();
  if (DUCKDB_TABLE_FUNCTIONS.has(n)) return undefined;
  if (READER_NAME.test(n)) return `the table function \`${n}\` reads files, the network or SQL text outside the warehouse`;
  if (n.startsWith('duckdb_')) return `the table function \`${n}\` exposes settings, secrets or files; query information_schema or duckdb_tables()/duckdb_columns() instead`;
  return `the table function \`${n}\` is not on the list of allowed table functions (${[...DUCKDB_TABLE_FUNCTIONS].slice(0, 5).join(', ')}, duckdb_tables(), …)`;
}

/** Why a DuckDB scalar/aggregate/window function is refused, or undefined. */
export function duckDbScalarFunctionProblem(name: string): string | undefined {
  const n = name.toLowerCase();
  const why = DUCKDB_SCALAR_REFUSED.get(n);
  if (why) return `the function \`${n}\` ${why}`;
  if (READER_NAME.test(n)) return `the function \`${n}\` reads files, the network or SQL text outside the warehouse`;
  return undefined;
}

/** DuckDB turns a FROM item that looks like a file (`'data.csv'`, `'/etc/passwd'`, `'s3://…'`) into a file read. */
export function duckDbFileLikeTable(name: string): boolean {
  return /[/\\]|:\/\/|^~/.test(name) || /\.(csv|tsv|txt|parquet|json|jsonl|ndjson|gz|zst|xlsx?|arrow|avro|db|duckdb|sqlite3?|ipc|feather|orc)$/i.test(name);
}
