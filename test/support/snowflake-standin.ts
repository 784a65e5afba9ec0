// A local stand-in for Snowflake that speaks the REST protocol snowflake-sdk uses (login with password or key-pair
// JWT, query-request with JSON rowsets and the in-progress/result polling, abort, heartbeat, telemetry, session
// close) and answers SQL from an in-memory DuckDB loaded with a few tables. Only tests use it.
// Knobs: SYSTEM$WAIT(n) / STANDIN_SLEEP(n) sleep like Snowflake's (for timeouts), dropNext()/goDown() destroy sockets mid-request,
// users have passwords, public keys and granted roles (for wrong-password / wrong-key / role tests).
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import * as zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

export interface StandinUser {
  password?: string;
  /** PEM (spki) public key registered for key-pair login. */
  publicKeyPem?: string;
  defaultRole?: string;
  /** Roles the user may log in with (default: any). */
  roles?: string[];
}

export interface StandinOptions {
  account?: string;
  users?: Record<string, StandinUser>;
  /** Statements run once at start; defaults to DEFAULT_SEED (database ANALYTICS, schemas MARTS and STAGING). */
  seedSql?: string;
  /** After this long a query-request answers "in progress" and the driver polls (Snowflake: ~45 s). */
  progressAfterMs?: number;
}

export interface StandinRequest {
  method: string;
  path: string;
  requestId?: string;
  retryCount?: string;
  sql?: string;
  loginName?: string;
  authenticator?: string;
  role?: string;
  warehouse?: string;
  dropped?: boolean;
}

export interface StandinQuery {
  queryId: string;
  requestId: string;
  sql: string;
  status: 'running' | 'success' | 'failed' | 'cancelled' | 'timeout';
  /** Statement-level parameters the client sent. */
  parameters: Record<string, unknown>;
  /** Session parameters in force when the query started. */
  sessionParameters: Record<string, string>;
}

export interface SnowflakeStandin {
  url: string;
  port: number;
  account: string;
  requests: StandinRequest[];
  queries: StandinQuery[];
  /** Open sessions: who, with which role/warehouse and which session parameters. */
  sessions(): { user: string; role: string; warehouse?: string; database?: string; parameters: Record<string, string> }[];
  /** Destroys the socket of the next `times` requests that match, after reading them (a connection dropped mid-request). */
  dropNext(match: (r: { path: string; sql?: string }) => boolean, times?: number): void;
  /** From now on every request's socket is destroyed (the network is gone) until restore(). */
  goDown(): void;
  restore(): void;
  close(): Promise<void>;
}

export const DEFAULT_SEED = `
ATTACH ':memory:' AS ANALYTICS;
CREATE SCHEMA ANALYTICS.MARTS;
CREATE SCHEMA ANALYTICS.STAGING;
CREATE TABLE ANALYTICS.MARTS.CUSTOMERS (CUSTOMER_ID INTEGER NOT NULL, CUSTOMER_NAME VARCHAR, EMAIL VARCHAR,
  SIGNED_UP_ON DATE, IS_ACTIVE BOOLEAN, LIFETIME_VALUE DECIMAL(12,2));
COMMENT ON TABLE ANALYTICS.MARTS.CUSTOMERS IS 'One row per customer';
COMMENT ON COLUMN ANALYTICS.MARTS.CUSTOMERS.CUSTOMER_ID IS 'Primary key of a customer';
COMMENT ON COLUMN ANALYTICS.MARTS.CUSTOMERS.LIFETIME_VALUE IS 'Sum of completed order amounts';
INSERT INTO ANALYTICS.MARTS.CUSTOMERS VALUES
  (1, 'Ada Lovelace', 'ada@example.com', DATE '2023-01-05', true, 120.50),
  (2, 'Linus T', NULL, DATE '2023-02-11', false, 0),
  (3, 'Grace Hopper', 'grace@example.com', NULL, NULL, 99.99);
CREATE TABLE ANALYTICS.MARTS.ORDERS (ORDER_ID BIGINT NOT NULL, CUSTOMER_ID INTEGER, ORDERED_AT TIMESTAMP,
  AMOUNT DECIMAL(10,2), STATUS VARCHAR, DISCOUNT DOUBLE);
COMMENT ON TABLE ANALYTICS.MARTS.ORDERS IS 'One row per order';
INSERT INTO ANALYTICS.MARTS.ORDERS VALUES
  (10, 1, TIMESTAMP '2024-03-01 09:30:00', 70.50, 'completed', 0.1),
  (11, 1, TIMESTAMP '2024-03-02 10:00:00', 50.00, 'completed', NULL),
  (12, 3, TIMESTAMP '2024-04-15 16:45:30.250', 99.99, 'completed', 0),
  (13, 2, NULL, 12.00, 'returned', NULL);
CREATE VIEW ANALYTICS.MARTS.CUSTOMER_REVENUE AS
  SELECT c.CUSTOMER_ID, sum(o.AMOUNT) AS REVENUE FROM ANALYTICS.MARTS.CUSTOMERS c
  JOIN ANALYTICS.MARTS.ORDERS o USING (CUSTOMER_ID) GROUP BY 1;
COMMENT ON VIEW ANALYTICS.MARTS.CUSTOMER_REVENUE IS 'Revenue per customer';
CREATE TABLE ANALYTICS.STAGING.STG_EVENTS AS SELECT range AS EVENT_ID, 'event ' || range AS EVENT_NAME FROM range(250);
`;

// Snowflake's INFORMATION_SCHEMA shapes over DuckDB's own information_schema (names and types mapped here).
const META_SQL = `
ATTACH ':memory:' AS SF_META;
CREATE VIEW SF_META.main.SCHEMATA AS
  SELECT catalog_name AS CATALOG_NAME, schema_name AS SCHEMA_NAME, 'SYSADMIN' AS SCHEMA_OWNER, NULL::VARCHAR AS COMMENT
  FROM information_schema.schemata WHERE catalog_name NOT IN ('SF_META', 'system', 'temp', 'memory') AND schema_name <> 'main'
  UNION ALL SELECT DISTINCT catalog_name, 'INFORMATION_SCHEMA', 'SYSADMIN', 'Views describing the contents of schemas in this database'
  FROM information_schema.schemata WHERE catalog_name NOT IN ('SF_META', 'system', 'temp', 'memory');
CREATE VIEW SF_META.main.TABLES AS
  SELECT t.table_catalog AS TABLE_CATALOG, t.table_schema AS TABLE_SCHEMA, t.table_name AS TABLE_NAME,
    CASE WHEN t.table_type = 'VIEW' THEN 'VIEW' ELSE 'BASE TABLE' END AS TABLE_TYPE,
    CASE WHEN t.table_type = 'VIEW' THEN NULL ELSE d.estimated_size END AS ROW_COUNT,
    NULLIF(t.TABLE_COMMENT, '') AS COMMENT
  FROM information_schema.tables t LEFT JOIN duckdb_tables() d
    ON d.database_name = t.table_catalog AND d.schema_name = t.table_schema AND d.table_name = t.table_name
  WHERE t.table_catalog NOT IN ('SF_META', 'system', 'temp', 'memory')
  UNION ALL SELECT DISTINCT t.table_catalog, 'INFORMATION_SCHEMA', v.name, 'VIEW', NULL, NULL
  FROM information_schema.tables t, (VALUES ('TABLES'), ('COLUMNS'), ('SCHEMATA')) v(name)
  WHERE t.table_catalog NOT IN ('SF_META', 'system', 'temp', 'memory');
CREATE VIEW SF_META.main.COLUMNS AS
  SELECT table_catalog AS TABLE_CATALOG, table_schema AS TABLE_SCHEMA, table_name AS TABLE_NAME, column_name AS COLUMN_NAME,
    ordinal_position AS ORDINAL_POSITION, is_nullable AS IS_NULLABLE,
    CASE WHEN data_type IN ('TINYINT','SMALLINT','INTEGER','BIGINT','HUGEINT','UTINYINT','USMALLINT','UINTEGER','UBIGINT') OR data_type LIKE 'DECIMAL%' THEN 'NUMBER'
      WHEN data_type IN ('FLOAT','DOUBLE','REAL') THEN 'FLOAT' WHEN data_type = 'VARCHAR' THEN 'TEXT'
      WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP_TZ' WHEN data_type LIKE 'TIMESTAMP%' THEN 'TIMESTAMP_NTZ'
      WHEN data_type IN ('BOOLEAN','DATE','TIME') THEN data_type WHEN data_type = 'BLOB' THEN 'BINARY' ELSE 'VARIANT' END AS DATA_TYPE,
    CASE WHEN data_type = 'VARCHAR' THEN 16777216 END AS CHARACTER_MAXIMUM_LENGTH,
    CASE WHEN data_type LIKE 'DECIMAL%' THEN numeric_precision WHEN data_type LIKE '%INT%' THEN 38 END AS NUMERIC_PRECISION,
    CASE WHEN data_type LIKE 'DECIMAL%' THEN numeric_scale WHEN data_type LIKE '%INT%' THEN 0 END AS NUMERIC_SCALE,
    NULLIF(COLUMN_COMMENT, '') AS COMMENT
  FROM information_schema.columns WHERE table_catalog NOT IN ('SF_META', 'system', 'temp', 'memory');
`;

// Session parameters the driver reads; fixed so date/time handling is deterministic.
const PARAMETERS = [
  { name: 'TIMEZONE', value: 'UTC' },
  { name: 'QUERY_CONTEXT_CACHE_SIZE', value: 5 },
  { name: 'CLIENT_SESSION_KEEP_ALIVE', value: false },
  { name: 'DATE_OUTPUT_FORMAT', value: 'YYYY-MM-DD' },
  { name: 'TIMESTAMP_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM' },
  { name: 'TIMESTAMP_NTZ_OUTPUT_FORMAT', value: 'YYYY-MM-DD HH24:MI:SS.FF3' },
  { name: 'TIMESTAMP_LTZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIMESTAMP_TZ_OUTPUT_FORMAT', value: '' },
  { name: 'TIME_OUTPUT_FORMAT', value: 'HH24:MI:SS' },
  { name: 'BINARY_OUTPUT_FORMAT', value: 'HEX' },
  { name: 'JS_TREAT_INTEGER_AS_BIGINT', value: false },
];

interface Session {
  id: number;
  user: string;
  role: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  params: Record<string, string>;
}

interface Running {
  record: StandinQuery;
  session: Session;
  abort: AbortController;
  /** Why it was aborted, for the error returned. */
  abortReason?: 'cancelled' | 'timeout';
  done: Promise<Reply>;
}

interface Reply {
  success: boolean;
  code: string | null;
  message: string | null;
  data: unknown;
}

class SqlFailure extends Error {
  constructor(readonly code: string, message: string, readonly sqlState: string) { super(message); }
}

const ok = (data: unknown): Reply => ({ success: true, code: null, message: null, data });
const failure = (code: string, message: string, data: Record<string, unknown> = {}): Reply => ({ success: false, code, message, data });

export async function startSnowflakeStandin(opts: StandinOptions = {}): Promise<SnowflakeStandin> {
  const account = (opts.account ?? 'standin_acct').toUpperCase();
  const users = new Map(Object.entries(opts.users ?? { ANALYST: { password: 'secret' } }).map(([k, v]) => [k.toUpperCase(), v]));
  const progressAfterMs = opts.progressAfterMs ?? 45_000;
  const db = await DuckDBInstance.create(':memory:');
  const setup = await db.connect();
  await setup.run(opts.seedSql ?? DEFAULT_SEED);
  await setup.run(META_SQL);
  setup.closeSync();

  const sessions = new Map<string, Session>();
  const running = new Map<string, Running>(); // by queryId
  const byRequestId = new Map<string, Running>();
  const requests: StandinRequest[] = [];
  const queries: StandinQuery[] = [];
  const drops: { match: (r: { path: string; sql?: string }) => boolean; left: number }[] = [];
  let down = false;
  let nextSessionId = 1;

  async function login(url: URL, body: { data?: Record<string, unknown> }): Promise<Reply> {
    const d = body.data ?? {};
    const name = String(d.LOGIN_NAME ?? '').toUpperCase();
    const user = users.get(name);
    if (d.AUTHENTICATOR === 'SNOWFLAKE_JWT') {
      const problem = user?.publicKeyPem ? verifyJwt(String(d.TOKEN ?? ''), account, name, user.publicKeyPem) : 'no public key registered for the user';
      if (problem) return failure('390144', `JWT token is invalid. [${problem}]`);
    } else if (!user || user.password === undefined || user.password !== d.PASSWORD) {
      return failure('390100', 'Incorrect username or password was specified.');
    }
    const role = (url.searchParams.get('roleName') ?? user?.defaultRole ?? 'PUBLIC').toUpperCase();
    if (user?.roles && !user.roles.map(r => r.toUpperCase()).includes(role)) {
      return failure('390189', `Role '${role}' specified in the connect string is not granted to this user. Contact your local system administrator, or attempt to login with another role, e.g. PUBLIC.`);
    }
    const token = crypto.randomUUID();
    const session: Session = {
      id: nextSessionId++, user: name, role, params: {},
      warehouse: upper(url.searchParams.get('warehouse')), database: upper(url.searchParams.get('databaseName')), schema: upper(url.searchParams.get('schemaName')),
    };
    sessions.set(token, session);
    return ok({
      token, masterToken: crypto.randomUUID(), validityInSeconds: 3600, masterValidityInSeconds: 14400,
      sessionId: session.id, parameters: PARAMETERS, serverVersion: 'standin-1.0',
      sessionInfo: { databaseName: session.database, schemaName: session.schema, warehouseName: session.warehouse, roleName: session.role },
    });
  }

  function startQuery(session: Session, requestId: string, body: QueryBody): Running {
    const record: StandinQuery = {
      queryId: crypto.randomUUID(), requestId, sql: body.sqlText ?? '', status: 'running',
      parameters: body.parameters ?? {}, sessionParameters: { ...session.params },
    };
    queries.push(record);
    const abort = new AbortController();
    const r: Running = { record, session, abort, done: Promise.resolve(ok({})) };
    const seconds = Number(body.parameters?.STATEMENT_TIMEOUT_IN_SECONDS ?? session.params.STATEMENT_TIMEOUT_IN_SECONDS ?? 0);
    const timer = seconds > 0 ? setTimeout(() => { r.abortReason = 'timeout'; abort.abort(); }, seconds * 1000) : undefined;
    r.done = execute(db, session, record.sql, bindValues(body.bindings), abort.signal)
      .then(result => { record.status = 'success'; return ok({ ...result, queryId: record.queryId, parameters: PARAMETERS, ...finalNames(session) }); })
      .catch((e: unknown) => {
        const data = { queryId: record.queryId };
        if (abort.signal.aborted && r.abortReason === 'timeout') {
          record.status = 'timeout';
          return failure('000630', `Statement reached its statement or warehouse timeout of ${seconds} second(s) and was canceled.`, { ...data, sqlState: '57014' });
        }
        if (abort.signal.aborted) {
          record.status = 'cancelled';
          return failure('000604', 'SQL execution canceled', { ...data, sqlState: '57014' });
        }
        record.status = 'failed';
        const f = e instanceof SqlFailure ? e : asSqlFailure(e);
        return failure(f.code, f.message, { ...data, sqlState: f.sqlState });
      })
      .finally(() => clearTimeout(timer));
    running.set(record.queryId, r);
    byRequestId.set(requestId, r);
    return r;
  }

  /** Answers with the result when it is ready within progressAfterMs, else "in progress" so the driver polls. */
  async function answer(r: Running): Promise<Reply> {
    let timer: NodeJS.Timeout | undefined;
    const progress = new Promise<Reply>(resolve => {
      timer = setTimeout(() => resolve({
        success: true, code: '333333', message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
        data: { queryId: r.record.queryId, getResultUrl: `/queries/${r.record.queryId}/result` },
      }), progressAfterMs);
    });
    try { return await Promise.race([r.done, progress]); } finally { clearTimeout(timer); }
  }

  function cancel(r: Running | undefined): void {
    if (r && r.record.status === 'running') { r.abortReason ??= 'cancelled'; r.abort.abort(); }
  }

  async function route(req: http.IncomingMessage, url: URL, body: Record<string, unknown>): Promise<{ status: number; reply: Reply }> {
    if (req.method === 'POST' && url.pathname === '/session/v1/login-request') return { status: 200, reply: await login(url, body) };
    const token = /Snowflake Token="([^"]+)"/.exec(req.headers.authorization ?? '')?.[1];
    const session = token ? sessions.get(token) : undefined;
    if (!session) return { status: 401, reply: failure('390104', 'Session token invalid.') };
    const m = /^\/queries\/([^/]+)\/(result|abort-request)$/.exec(url.pathname);
    if (req.method === 'POST' && url.pathname === '/queries/v1/query-request') {
      const requestId = url.searchParams.get('requestId') ?? crypto.randomUUID();
      // A retried request (same requestId) attaches to the query already running, as Snowflake does.
      const r = byRequestId.get(requestId) ?? startQuery(session, requestId, body as QueryBody);
      return { status: 200, reply: await answer(r) };
    }
    if (req.method === 'GET' && m?.[2] === 'result') {
      const r = running.get(m[1]);
      return { status: 200, reply: r ? await answer(r) : failure('000709', `Statement ${m[1]} not found`, { sqlState: '02000' }) };
    }
    if (req.method === 'POST' && url.pathname === '/queries/v1/abort-request') {
      cancel(byRequestId.get(String(body.requestId ?? '')));
      return { status: 200, reply: ok(null) };
    }
    if (req.method === 'POST' && m?.[2] === 'abort-request') {
      cancel(running.get(m[1]));
      return { status: 200, reply: ok(null) };
    }
    if (req.method === 'POST' && url.pathname === '/session' && url.searchParams.get('delete') === 'true') {
      sessions.delete(token!);
      return { status: 200, reply: ok({}) };
    }
    if (url.pathname === '/telemetry/send' || url.pathname === '/session/heartbeat') return { status: 200, reply: ok({}) };
    return { status: 404, reply: failure('404', `stand-in: ${req.method} ${url.pathname} is not implemented`) };
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://standin');
    const entry: StandinRequest = { method: req.method ?? '', path: url.pathname, requestId: url.searchParams.get('requestId') ?? undefined, retryCount: url.searchParams.get('retryCount') ?? undefined };
    requests.push(entry);
    if (down) { entry.dropped = true; req.socket.destroy(); return; }
    const body = await readBody(req);
    entry.sql = typeof body.sqlText === 'string' ? body.sqlText : undefined;
    const login = (body.data ?? {}) as Record<string, unknown>;
    if (entry.path === '/session/v1/login-request') {
      Object.assign(entry, { loginName: login.LOGIN_NAME, authenticator: login.AUTHENTICATOR ?? 'SNOWFLAKE', role: url.searchParams.get('roleName') ?? undefined, warehouse: url.searchParams.get('warehouse') ?? undefined });
    }
    const drop = drops.find(d => d.left > 0 && d.match({ path: entry.path, sql: entry.sql }));
    if (drop) { drop.left--; entry.dropped = true; req.socket.destroy(); return; }
    try {
      const { status, reply } = await route(req, url, body);
      if (down) { entry.dropped = true; req.socket.destroy(); return; }
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    } catch (e) {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify(failure('500', `stand-in error: ${String(e)}`)));
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`, port, account, requests, queries,
    sessions: () => [...sessions.values()].map(s => ({ user: s.user, role: s.role, warehouse: s.warehouse, database: s.database, parameters: { ...s.params } })),
    dropNext: (match, times = 1) => { drops.push({ match, left: times }); },
    goDown: () => { down = true; },
    restore: () => { down = false; },
    close: async () => {
      for (const r of running.values()) cancel(r);
      await Promise.allSettled([...running.values()].map(r => r.done));
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      db.closeSync();
    },
  };
}

// ---------------------------------------------------------------- requests

interface QueryBody {
  sqlText?: string;
  parameters?: Record<string, unknown>;
  bindings?: Record<string, { type: string; value: unknown }>;
}

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  let buf = Buffer.concat(chunks);
  // The driver gzips bodies asynchronously, so they arrive either way.
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  return buf.length ? (JSON.parse(buf.toString('utf8')) as Record<string, unknown>) : {};
}

function bindValues(bindings: QueryBody['bindings']): DuckDBValue[] {
  if (!bindings) return [];
  return Object.keys(bindings).sort((a, b) => Number(a) - Number(b)).map(k => {
    const { type, value } = bindings[k];
    if (value === null) return null;
    if (type === 'FIXED' || type === 'REAL') return Number(value);
    if (type === 'BOOLEAN') return String(value).toLowerCase() === 'true';
    return String(value);
  });
}

function upper(v: string | null): string | undefined {
  return v ? v.toUpperCase() : undefined;
}

function finalNames(s: Session) {
  return { finalDatabaseName: s.database ?? null, finalSchemaName: s.schema ?? null, finalWarehouseName: s.warehouse ?? null, finalRoleName: s.role };
}

/** Verifies an RS256 JWT the way Snowflake does for key-pair login; returns the problem, or undefined. */
function verifyJwt(token: string, account: string, user: string, publicKeyPem: string): string | undefined {
  const [h, p, s] = token.split('.');
  if (!h || !p || !s) return 'malformed token';
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as { alg?: string };
  if (header.alg !== 'RS256') return `unsupported algorithm ${header.alg}`;
  const key = crypto.createPublicKey(publicKeyPem);
  if (!crypto.verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) return 'signature does not match the registered public key';
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as { iss?: string; sub?: string; exp?: number };
  const fingerprint = 'SHA256:' + crypto.createHash('sha256').update(key.export({ format: 'der', type: 'spki' })).digest('base64');
  if (claims.sub !== `${account}.${user}`) return `subject ${claims.sub} is not ${account}.${user}`;
  if (claims.iss !== `${account}.${user}.${fingerprint}`) return 'issuer fingerprint does not match the registered public key';
  const exp = Number(claims.exp);
  if (!(exp > 1e12 ? exp > Date.now() : exp * 1000 > Date.now())) return 'token expired';
  return undefined;
}

// ---------------------------------------------------------------- SQL

async function execute(db: DuckDBInstance, session: Session, sqlText: string, values: DuckDBValue[], signal: AbortSignal) {
  let sql = sqlText.trim().replace(/;\s*$/, '');
  const alter = /^ALTER\s+SESSION\s+(SET|UNSET)\s+([\s\S]+)$/i.exec(sql);
  if (alter) return alterSession(session, alter[1].toUpperCase(), alter[2]);
  sql = await systemWait(sql, signal);
  sql = sessionFunctions(sql, session);
  sql = informationSchema(sql, session);
  const con = await db.connect();
  const stop = () => con.interrupt();
  signal.addEventListener('abort', stop);
  try {
    if (session.database) await con.run(`USE "${session.database}"${session.schema ? `."${session.schema}"` : ''}`).catch(() => undefined);
    if (signal.aborted) throw new Error('aborted');
    const r = await con.runAndReadAll(sql, values.length ? values : undefined);
    const rowtype = r.columnNames().map((n, i) => rowtypeFor(n, r.columnTypes()[i]));
    const rowset = r.getRows().map(row => row.map((v, i) => cellFor(v, rowtype[i].type)));
    return { rowtype, rowset, total: rowset.length, returned: rowset.length, statementTypeId: 4096, version: 1, queryResultFormat: 'json' };
  } finally {
    signal.removeEventListener('abort', stop);
    closeQuietly(con);
  }
}

function closeQuietly(con: DuckDBConnection): void {
  try { con.closeSync(); } catch { /* already closed */ }
}

function alterSession(session: Session, verb: string, rest: string) {
  for (const part of rest.split(',')) {
    const [k, v] = part.split('=').map(x => x.trim());
    if (!k) continue;
    if (verb === 'SET') session.params[k.toUpperCase()] = (v ?? '').replace(/^'(.*)'$/, '$1');
    else delete session.params[k.toUpperCase()];
  }
  return {
    rowtype: [{ name: 'status', type: 'text', nullable: true, scale: null, precision: null, length: 16777216, byteLength: 16777216, database: '', schema: '', table: '', collation: null }],
    rowset: [['Statement executed successfully.']], total: 1, returned: 1, statementTypeId: 0x4000, version: 1, queryResultFormat: 'json',
  };
}

/** SYSTEM$WAIT(n [, 'SECONDS'|'MILLISECONDS']) sleeps like Snowflake's, cancellably. STANDIN_SLEEP(n) does the same
 *  under a name the connector's read-only guard lets through (it refuses SYSTEM$ functions). */
async function systemWait(sql: string, signal: AbortSignal): Promise<string> {
  const re = /(?:SYSTEM\$WAIT|STANDIN_SLEEP)\(\s*(\d+(?:\.\d+)?)\s*(?:,\s*'(\w+)'\s*)?\)/gi;
  let total = 0;
  const out = sql.replace(re, (_m, n: string, unit?: string) => {
    const ms = Number(n) * (/^MILLI/i.test(unit ?? '') ? 1 : 1000);
    total += ms;
    return `'waited ${n} ${unit?.toLowerCase() ?? 'seconds'}'`;
  });
  if (total > 0) {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, total);
      signal.addEventListener('abort', () => { clearTimeout(t); reject(new Error('aborted')); }, { once: true });
    });
  }
  return out;
}

function sessionFunctions(sql: string, s: Session): string {
  const lit = (v: string | undefined) => (v === undefined ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
  const values: Record<string, string | undefined> = {
    ROLE: s.role, WAREHOUSE: s.warehouse, DATABASE: s.database, SCHEMA: s.schema, USER: s.user,
  };
  return sql.replace(/\bCURRENT_(ROLE|WAREHOUSE|DATABASE|SCHEMA|USER|ACCOUNT)\(\s*\)/gi, (_m, what: string) =>
    (what.toUpperCase() === 'ACCOUNT' ? lit('STANDIN') : lit(values[what.toUpperCase()])));
}

/** `[db.]INFORMATION_SCHEMA.TABLES|COLUMNS|SCHEMATA` → the Snowflake-shaped views, filtered to that database. */
function informationSchema(sql: string, s: Session): string {
  const re = /(?:("(?:[^"]|"")+"|[A-Za-z_][\w$]*)\s*\.\s*)?INFORMATION_SCHEMA\s*\.\s*(TABLES|COLUMNS|SCHEMATA)\b/gi;
  return sql.replace(re, (_m, dbPart: string | undefined, view: string) => {
    const database = dbPart ? (dbPart.startsWith('"') ? dbPart.slice(1, -1).replace(/""/g, '"') : dbPart.toUpperCase()) : s.database ?? '';
    const column = view.toUpperCase() === 'SCHEMATA' ? 'CATALOG_NAME' : 'TABLE_CATALOG';
    return `(SELECT * FROM SF_META.main.${view.toUpperCase()} WHERE ${column} = '${database.replace(/'/g, "''")}')`;
  });
}

function asSqlFailure(e: unknown): SqlFailure {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  if (/^Catalog Error/i.test(msg)) return new SqlFailure('002003', `SQL compilation error:\n${msg.replace(/^Catalog Error:\s*/, '')}`, '42S02');
  if (/^Binder Error/i.test(msg)) return new SqlFailure('000904', `SQL compilation error: invalid identifier\n${msg.replace(/^Binder Error:\s*/, '')}`, '42000');
  if (/^Parser Error/i.test(msg)) return new SqlFailure('001003', `SQL compilation error:\nsyntax error ${msg.replace(/^Parser Error:\s*/, '')}`, '42000');
  return new SqlFailure('100038', msg, '22018');
}

// ---------------------------------------------------------------- result encoding

interface RowType { name: string; type: string; scale: number | null; precision: number | null; nullable: boolean; length: number | null; byteLength: number | null; database: string; schema: string; table: string; collation: null }

function rowtypeFor(name: string, t: DuckDBType): RowType {
  const base: RowType = { name, type: 'text', nullable: true, scale: null, precision: null, length: null, byteLength: null, database: '', schema: '', table: '', collation: null };
  switch (t.typeId) {
    case DuckDBTypeId.TINYINT: case DuckDBTypeId.SMALLINT: case DuckDBTypeId.INTEGER: case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT: case DuckDBTypeId.USMALLINT: case DuckDBTypeId.UINTEGER: case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT: case DuckDBTypeId.UHUGEINT:
      return { ...base, type: 'fixed', scale: 0, precision: 38 };
    case DuckDBTypeId.DECIMAL: return { ...base, type: 'fixed', scale: t.scale, precision: t.width };
    case DuckDBTypeId.FLOAT: case DuckDBTypeId.DOUBLE: return { ...base, type: 'real' };
    case DuckDBTypeId.BOOLEAN: return { ...base, type: 'boolean' };
    case DuckDBTypeId.DATE: return { ...base, type: 'date' };
    case DuckDBTypeId.TIME: return { ...base, type: 'time', scale: 6 };
    case DuckDBTypeId.TIMESTAMP_TZ: return { ...base, type: 'timestamp_ltz', scale: 6 };
    case DuckDBTypeId.TIMESTAMP: case DuckDBTypeId.TIMESTAMP_S: case DuckDBTypeId.TIMESTAMP_MS: case DuckDBTypeId.TIMESTAMP_NS:
      return { ...base, type: 'timestamp_ntz', scale: 6 };
    case DuckDBTypeId.BLOB: return { ...base, type: 'binary', length: 8388608, byteLength: 8388608 };
    case DuckDBTypeId.LIST: case DuckDBTypeId.STRUCT: case DuckDBTypeId.MAP: return { ...base, type: 'variant' };
    default: return { ...base, type: 'text', length: 16777216, byteLength: 16777216 };
  }
}

function micros(v: unknown): bigint {
  const x = v as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  if (x.micros !== undefined) return BigInt(x.micros);
  if (x.millis !== undefined) return BigInt(x.millis) * 1000n;
  if (x.seconds !== undefined) return BigInt(x.seconds) * 1_000_000n;
  return BigInt(x.nanos ?? 0n) / 1000n;
}

function epochSeconds(us: bigint): string {
  const a = us < 0n ? -us : us;
  return `${us < 0n ? '-' : ''}${a / 1_000_000n}.${String(a % 1_000_000n).padStart(6, '0')}`;
}

function toJson(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v && typeof v === 'object') {
    const o = v as { items?: unknown[]; entries?: Record<string, unknown> };
    if (Array.isArray(o.items)) return o.items.map(toJson);
    if (o.entries && typeof o.entries === 'object') return Object.fromEntries(Object.entries(o.entries).map(([k, x]) => [k, toJson(x)]));
    return String(v);
  }
  return v;
}

/** DuckDB value → Snowflake JSON rowset cell (a string, or null). */
function cellFor(v: DuckDBValue, type: string): string | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'boolean': return v ? '1' : '0';
    case 'date': return String((v as { days: number }).days);
    case 'timestamp_ntz': case 'timestamp_ltz': case 'time': return epochSeconds(micros(v));
    case 'binary': return Buffer.from((v as { bytes: Uint8Array }).bytes).toString('hex');
    case 'variant': return JSON.stringify(toJson(v));
    default: return String(v);
  }
}
