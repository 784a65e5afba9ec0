// The read-only SQL guard: a statement may run only when a real SQL parser accepts it as exactly one read-only
// statement (SELECT / WITH … SELECT / SHOW / DESCRIBE / EXPLAIN of a select). Connections run only what this
// accepted, wrapped by `wrapLimit`. DuckDB and Snowflake also enforce read-only themselves (READ_ONLY attach
// without file access; a read-only role): the guard is the first of the layers, not the only one.
//
// DuckDB: DuckDB's own parser (json_serialize_sql) must serialize exactly one SELECT, and a walk of its AST
// refuses file/network readers, SQL-text runners, state-changing and secret-leaking functions (see rules.ts).
//
// Snowflake: the tokenizer proves there is one statement, that it starts with SELECT/WITH/(/SHOW/DESC/EXPLAIN,
// and that no forbidden word (INSERT, INTO, CALL, PROCEDURE, SET, …), stage reference (`@stage`) or refused
// function (SYSTEM$…, stage-file functions) appears outside strings, comments and quoted identifiers.
// Then node-sql-parser's Snowflake grammar must parse it as one SELECT (or SHOW) without INTO. Statements that
// grammar cannot parse (it lacks some Snowflake syntax: SAMPLE, AT/BEFORE, CONNECT BY, MATCH_RECOGNIZE, …)
// are still accepted on the tokenizer's proof alone: with one statement that starts with a read-only keyword
// and contains none of the words that could introduce a write, a session change, a procedure or a file
// transfer, Snowflake itself can only execute it as a query (and the configured role bounds what it reads).
import { Parser } from 'node-sql-parser/build/snowflake';
import { parseDuckDb, type DuckDbNode } from './duckdbParser';
import {
  ALLOWED, FORBIDDEN_WORDS, SNOWFLAKE_FUNCTION_WORDS, duckDbFileLikeTable, duckDbScalarFunctionProblem,
  duckDbTableFunctionProblem, snowflakeFunctionProblem, whyRefused,
} from './rules';
import { position, significant, splitStatements, tokenize, type SqlDialect, type Token } from './tokenize';

export type StatementKind = 'select' | 'show' | 'describe' | 'explain';

export type GuardResult =
  | {
    ok: true;
    /** The one statement, without surrounding comments and semicolons: what to run (through wrapLimit). */
    statement: string;
    kind: StatementKind;
    /** Which parser accepted it: Snowflake statements node-sql-parser cannot parse are accepted by the tokenizer's proof. */
    parsedBy: 'duckdb' | 'node-sql-parser' | 'tokenizer';
  }
  | { ok: false; reason: string };

type Refusal = { ok: false; reason: string };

const refuse = (reason: string): Refusal => ({ ok: false, reason: `Refused: ${reason}. ${ALLOWED}` });

/** Checks that `sql` is exactly one read-only statement for `dialect`. Never runs it. */
export async function checkReadOnly(sql: string, dialect: SqlDialect): Promise<GuardResult> {
  return dialect === 'duckdb' ? checkDuckDb(sql) : checkSnowflakeReadOnly(sql);
}

// ---------------------------------------------------------------- common: one statement and its kind

interface Prepared {
  /** Significant tokens of the one statement. */
  tokens: Token[];
  statement: string;
  kind: StatementKind;
  /** For EXPLAIN: the explained query's tokens and text; else the statement's own. */
  query: { tokens: Token[]; text: string };
}

const SELECT_START: Record<SqlDialect, Set<string>> = {
  duckdb: new Set(['SELECT', 'WITH', 'FROM', 'VALUES']),
  snowflake: new Set(['SELECT', 'WITH']),
};

function prepare(sql: string, dialect: SqlDialect): Prepared | Refusal {
  const { tokens, error } = tokenize(sql, dialect);
  if (error) return refuse(error);
  const statements = splitStatements(tokens, dialect).map(significant);
  if (!statements.length) return refuse('no SQL statement was given');
  if (statements.length > 1) {
    const second = statements[1][0];
    return refuse(`${statements.length} statements were found (the second, at ${position(sql, second.start)}, starts with \`${second.text}\`); only one may run`);
  }
  const st = statements[0];
  const statement = sql.slice(st[0].start, st[st.length - 1].end);
  const first = st[0];
  const word = first.kind === 'word' ? first.upper! : first.text;
  if (isSelectStart(first, dialect)) return { tokens: st, statement, kind: 'select', query: { tokens: st, text: statement } };
  if (word === 'SHOW') return { tokens: st, statement, kind: 'show', query: { tokens: st, text: statement } };
  if (word === 'DESCRIBE' || word === 'DESC' || (dialect === 'duckdb' && word === 'SUMMARIZE')) return { tokens: st, statement, kind: 'describe', query: { tokens: st, text: statement } };
  if (word === 'EXPLAIN') {
    let i = 1;
    if (dialect === 'duckdb' && st[i]?.upper === 'ANALYZE') i++;
    if (dialect === 'snowflake' && st[i]?.upper === 'USING' && st[i + 1]?.kind === 'word') i += 2;
    const rest = st.slice(i);
    if (!rest.length || !isSelectStart(rest[0], dialect)) return refuse(`EXPLAIN is allowed only for a query, not for \`${rest[0]?.text ?? 'nothing'}\``);
    return { tokens: st, statement, kind: 'explain', query: { tokens: rest, text: sql.slice(rest[0].start, st[st.length - 1].end) } };
  }
  if (first.kind !== 'word') return refuse(`the statement starts with \`${first.text}\`, not a keyword`);
  const next = st[1]?.upper;
  if (word === 'ALTER' && next === 'SESSION') return refuse('`ALTER SESSION` changes session settings');
  if (word === 'EXECUTE' && next === 'IMMEDIATE') return refuse('`EXECUTE IMMEDIATE` runs SQL text the guard never saw');
  if (word === 'CREATE' && (next === 'TEMP' || next === 'TEMPORARY')) return refuse('`CREATE TEMP` creates a table');
  return refuse(whyRefused(word));
}

function isSelectStart(t: Token, dialect: SqlDialect): boolean {
  return (t.kind === 'word' && SELECT_START[dialect].has(t.upper!)) || (t.kind === 'punct' && t.text === '(');
}

/** The first word that marks a write or a session change, to name it in a refusal. */
function firstForbiddenWord(tokens: Token[]): Token | undefined {
  return tokens.find((t, i) => t.kind === 'word' && FORBIDDEN_WORDS.has(t.upper!) && !isNamePart(tokens, i) && !isFunctionCall(tokens, i));
}

/** `x.delete`, `v:update`: a name after a qualifier or path, not a keyword. */
function isNamePart(tokens: Token[], i: number): boolean {
  const prev = tokens[i - 1];
  return !!prev && prev.kind === 'punct' && (prev.text === '.' || prev.text === ':');
}

function isFunctionCall(tokens: Token[], i: number): boolean {
  return SNOWFLAKE_FUNCTION_WORDS.has(tokens[i].upper!) && tokens[i + 1]?.text === '(';
}

// ---------------------------------------------------------------- DuckDB

async function checkDuckDb(sql: string): Promise<GuardResult> {
  const p = prepare(sql, 'duckdb');
  if ('ok' in p) return p;
  // SHOW/DESCRIBE/SUMMARIZE serialize as a SELECT over a SHOW_REF; EXPLAIN does not serialize, so its query does.
  const parsed = await parseDuckDb(p.kind === 'explain' ? p.query.text : p.statement);
  if (parsed.error) {
    const found = firstForbiddenWord(p.query.tokens);
    const what = found ? ` (\`${found.upper}\` found: ${whyRefused(found.upper!).replace(/^`[^`]+` /, '')})` : '';
    if (/Only SELECT statements can be serialized/i.test(parsed.error)) return refuse(`DuckDB's parser does not read it as a single SELECT${what}`);
    return refuse(`DuckDB's parser rejected it${what}: ${parsed.error.split('\n')[0]}`);
  }
  if (parsed.statements.length !== 1) return refuse(`DuckDB's parser found ${parsed.statements.length} statements; only one may run`);
  const problem = walkDuckDb(parsed.statements[0]);
  if (problem) return refuse(problem);
  return { ok: true, statement: p.statement, kind: p.kind, parsedBy: 'duckdb' };
}

/** The first refused table function, function or file-like table in DuckDB's AST, or undefined. */
function walkDuckDb(root: DuckDbNode): string | undefined {
  const stack: unknown[] = [root];
  const tableFunctions = new Set<unknown>();
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) { stack.push(...v); continue; }
    if (!v || typeof v !== 'object') continue;
    const n = v as DuckDbNode;
    if (n.type === 'TABLE_FUNCTION' && n.function && typeof n.function === 'object') {
      const fn = n.function as DuckDbNode;
      tableFunctions.add(fn);
      const problem = duckDbTableFunctionProblem(String(fn.function_name ?? ''));
      if (problem) return problem;
    } else if (typeof n.function_name === 'string' && !tableFunctions.has(n)) {
      const problem = duckDbScalarFunctionProblem(n.function_name);
      if (problem) return problem;
    }
    if (n.type === 'BASE_TABLE' && typeof n.table_name === 'string' && duckDbFileLikeTable(n.table_name)) {
      return `\`${n.table_name}\` in FROM looks like a file: DuckDB would read the file`;
    }
    stack.push(...Object.values(n));
  }
  return undefined;
}

// ---------------------------------------------------------------- Snowflake

let snowflakeParser: Parser | undefined;

/** The Snowflake check is synchronous: tokenizer proof, then node-sql-parser when its grammar covers the statement. */
export function checkSnowflakeReadOnly(sql: string): GuardResult {
  const p = prepare(sql, 'snowflake');
  if ('ok' in p) return p;
  const problem = scanSnowflake(p.tokens) ?? ambiguousLexing(sql);
  if (problem) return refuse(problem);
  if (p.kind === 'describe') return { ok: true, statement: p.statement, kind: p.kind, parsedBy: 'tokenizer' };
  snowflakeParser ??= new Parser();
  let ast: unknown;
  try {
    ast = snowflakeParser.astify(p.query.text, { database: 'snowflake' });
  } catch {
    // The grammar lacks this syntax; the tokenizer's proof above stands on its own (see the header).
    return { ok: true, statement: p.statement, kind: p.kind, parsedBy: 'tokenizer' };
  }
  const list = (Array.isArray(ast) ? ast : [ast]) as { type?: string; into?: { position?: unknown } }[];
  if (list.length !== 1) return refuse(`the parser found ${list.length} statements; only one may run`);
  const type = String(list[0].type ?? '').toLowerCase();
  const expected = p.kind === 'show' ? 'show' : 'select';
  if (type !== expected) return refuse(`the parser reads it as a \`${type.toUpperCase()}\` statement, not ${expected.toUpperCase()}`);
  if (list[0].into?.position) return refuse(whyRefused('INTO'));
  return { ok: true, statement: p.statement, kind: p.kind, parsedBy: 'node-sql-parser' };
}

/** Forbidden words, stage references and refused functions outside strings, comments and quoted identifiers. */
function scanSnowflake(tokens: Token[]): string | undefined {
  const bad = firstForbiddenWord(tokens);
  if (bad) return `${whyRefused(bad.upper!)} (found \`${bad.text}\` inside the statement)`;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'punct' && t.text === '@') return `\`@${tokens[i + 1]?.text ?? ''}\` refers to a stage: reading staged files is not allowed`;
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')' && --depth < 0) return 'a `)` closes a parenthesis that was never opened';
    if (t.kind === 'word' && tokens[i + 1]?.text === '(') {
      const problem = snowflakeFunctionProblem(t.text);
      if (problem) return problem;
    }
  }
  if (depth !== 0) return `${depth} parenthesis${depth === 1 ? ' is' : 'es are'} never closed`;
  return undefined;
}

/**
 * Reads the text again as if backslashes did not escape quotes and as if comments nested: when either reading
 * (that tokenizes at all) finds another statement or a forbidden word, the text means different things to
 * different lexers and is refused rather than trusted to the one we assume Snowflake uses.
 */
function ambiguousLexing(sql: string): string | undefined {
  for (const lexing of [{ backslashEscapes: false }, { nestedComments: true }]) {
    const { tokens, error } = tokenize(sql, 'snowflake', lexing);
    if (error) continue;
    const statements = splitStatements(tokens, 'snowflake').map(significant);
    const how = lexing.backslashEscapes === false ? 'if backslashes did not escape quotes' : 'if comments nested';
    if (statements.length !== 1) return `read ${how}, the text holds ${statements.length} statements: quotes or comments are ambiguous`;
    const bad = scanSnowflake(statements[0]);
    if (bad) return `read ${how}, ${bad}: quotes or comments are ambiguous`;
  }
  return undefined;
}

// ---------------------------------------------------------------- limit wrapping

/**
 * `select * from (<statement>\n) limit n`, after removing trailing comments and semicolons (a trailing
 * `-- comment` would otherwise swallow the closing parenthesis). SHOW/DESCRIBE/EXPLAIN/SUMMARIZE cannot be
 * wrapped: they come back as written (without the trailing comments) and rows are limited by the client.
 * Only for statements the guard accepted: throws on text holding more than one statement.
 */
export function wrapLimit(statement: string, n: number, dialect: SqlDialect = 'duckdb'): string {
  const { tokens, error } = tokenize(statement, dialect);
  if (error) throw new Error(`wrapLimit: ${error}`);
  const parts = splitStatements(tokens, dialect).map(significant);
  if (parts.length !== 1) throw new Error(`wrapLimit expects one statement, got ${parts.length}: run it through checkReadOnly first`);
  const st = parts[0];
  const body = statement.slice(st[0].start, st[st.length - 1].end);
  if (['SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'SUMMARIZE'].includes(st[0].upper ?? '')) return body;
  return `select * from (\n${body}\n) limit ${Math.max(0, Math.floor(n))}`;
}
