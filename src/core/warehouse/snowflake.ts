// The Snowflake connector over snowflake-sdk: password or key-pair login with the configured role and warehouse,
// a statement timeout set on the session at connect time plus a client-side timer that cancels the statement,
// rows streamed and cut at maxRows, AbortSignal cancellation, metadata from INFORMATION_SCHEMA.
import { checkSnowflakeReadOnly, wrapLimit } from '../sql/guard';
import type { Readable } from 'node:stream';
import type { Connection, ConnectionOptions, RowStatement } from 'snowflake-sdk';
import type { WarehouseCatalog, WarehouseTable } from '../types';
import { WarehouseConnectionError, type QueryResult, type RunOptions, type TableRef, type WarehouseConnection } from './connection';
import type { SnowflakeConnectionConfig } from './profiles';
import { resolveSnowflakeAuth, who, type SnowflakeSecrets } from './snowflakeAuth';
import { loadSnowflakeSdk, maskSecrets, registerSecret, unregisterSecret } from './snowflakeDriver';
import { describeLoginError, describeQueryError, droppedConnection, formatMs, queryCancelled, queryTimeout, type ErrorContext } from './snowflakeErrors';
import { listSchemas, listTables, readTables, splitName, storedName } from './snowflakeMetadata';
import { columnTypeName, valueConverter } from './snowflakeValues';

export interface SnowflakeOpenOptions extends SnowflakeSecrets {
  /** A full endpoint (`https://host:port`) instead of `<account>.snowflakecomputing.com`. */
  accessUrl?: string;
  /** Ceiling for every statement: the session's STATEMENT_TIMEOUT_IN_SECONDS (default 300 s). */
  timeoutMs?: number;
  /** Budget for logging in (default 30 s). */
  connectTimeoutMs?: number;
  /** Login attempts after the first on network errors (default 2). */
  loginRetries?: number;
}

export interface SnowflakeSessionInfo {
  user?: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
}

const DEFAULT_STATEMENT_TIMEOUT_MS = 300_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/** How long a liveness check may take after a timeout before the connection counts as dropped. */
const HEARTBEAT_MS = 3_000;

/** Logs in and prepares the session; throws a WarehouseConnectionError that says what to do. */
export async function openSnowflake(cfg: SnowflakeConnectionConfig, opts: SnowflakeOpenOptions = {}): Promise<SnowflakeWarehouse> {
  const auth = resolveSnowflakeAuth(cfg, opts);
  const ctx: ErrorContext = { cfg, host: hostOf(cfg, opts.accessUrl), auth: auth.kind };
  const secrets = [auth.kind === 'password' ? auth.password : undefined, opts.passphrase ?? cfg.private_key_passphrase].filter((s): s is string => !!s);
  secrets.forEach(registerSecret);
  const release = () => secrets.forEach(unregisterSecret);
  const sdk = loadSnowflakeSdk();
  const options: ConnectionOptions = {
    account: cfg.account, username: cfg.user, role: cfg.role, warehouse: cfg.warehouse, database: cfg.database, schema: cfg.schema,
    accessUrl: opts.accessUrl, queryTag: cfg.query_tag, sfRetryMaxLoginRetries: opts.loginRetries ?? 2, representNullAsStringNull: false,
    ...(auth.kind === 'password' ? { password: auth.password } : { authenticator: 'SNOWFLAKE_JWT', privateKey: auth.privateKeyPem }),
  };
  let conn: Connection;
  try {
    conn = sdk.createConnection(options);
  } catch (e) {
    release();
    throw new WarehouseConnectionError(maskSecrets(`Invalid Snowflake connection settings for ${who(cfg)}: ${e instanceof Error ? e.message : String(e)}`), 'other');
  }
  try {
    await login(conn, opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, ctx);
  } catch (e) {
    release();
    throw e;
  }
  const wh = new SnowflakeWarehouse(conn, cfg, ctx, opts.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS, release);
  try {
    await wh.prepareSession();
  } catch (e) {
    await wh.close();
    throw e;
  }
  return wh;
}

function hostOf(cfg: SnowflakeConnectionConfig, accessUrl: string | undefined): string {
  if (accessUrl) {
    try { return new URL(accessUrl).host; } catch { return accessUrl; }
  }
  const account = cfg.account.replace(/^https?:\/\//, '');
  return account.includes('.snowflakecomputing.') ? account : `${account}.snowflakecomputing.com`;
}

/** connect(cb), not connectAsync(): the latter resolves even when the login is rejected. */
function login(conn: Connection, deadlineMs: number, ctx: ErrorContext): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      reject(new WarehouseConnectionError(`Snowflake at ${ctx.host} did not answer the login within ${formatMs(deadlineMs)}: ` +
        `check the account identifier (${ctx.cfg.account}), the network, VPN or proxy.`, 'unreachable'));
    }, deadlineMs);
    conn.connect(err => {
      if (settled) {
        if (!err) conn.destroy(() => undefined); // logged in after we gave up: do not leave the session open
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (err) reject(describeLoginError(err, ctx));
      else resolve();
    });
  });
}

interface RunInternal extends RunOptions {
  binds?: string[];
}

export class SnowflakeWarehouse implements WarehouseConnection {
  readonly kind = 'snowflake' as const;
  readonly label: string;
  private closed = false;
  private defaultDatabase?: Promise<string>;

  constructor(
    private readonly conn: Connection,
    readonly config: SnowflakeConnectionConfig,
    private readonly ctx: ErrorContext,
    /** The session's statement timeout; no statement runs longer. */
    readonly statementTimeoutMs: number,
    private readonly release: () => void,
  ) {
    this.label = `Snowflake ${config.account} (${config.user}${config.role ? `, role ${config.role}` : ''})`;
  }

  /** Sets the session's statement timeout (the server-side guard behind every client-side timer). */
  async prepareSession(): Promise<void> {
    const seconds = Math.max(1, Math.ceil(this.statementTimeoutMs / 1000));
    await this.run(`ALTER SESSION SET STATEMENT_TIMEOUT_IN_SECONDS = ${seconds}`, { maxRows: 1, timeoutMs: DEFAULT_CONNECT_TIMEOUT_MS });
  }

  /** User and model SQL: the guard runs again here (defence in depth), then the statement is limited by wrapping. */
  async query(sql: string, opts: RunOptions): Promise<QueryResult> {
    const guard = checkSnowflakeReadOnly(sql);
    if (!guard.ok) throw new WarehouseConnectionError(guard.reason, 'refused');
    const sent = guard.kind === 'select' ? wrapLimit(guard.statement, opts.maxRows + 1, 'snowflake') : guard.statement;
    return this.run(sent, opts);
  }

  async listSchemas(): Promise<{ database: string; schema: string }[]> {
    return listSchemas(this.rows, await this.database());
  }

  /** `schema` may be `schema` or `database.schema`; without it, every schema of the default database. */
  async listTables(schema?: string): Promise<TableRef[]> {
    const parts = schema ? splitName(schema).map(storedName) : [];
    const database = parts.length > 1 ? parts[0] : await this.database();
    return listTables(this.rows, database, parts.length ? [parts[parts.length - 1]] : undefined);
  }

  /** `table`, `schema.table` or `database.schema.table`; a bare name is looked up in every schema, the default first. */
  async describeTable(name: string): Promise<WarehouseTable | undefined> {
    const parts = splitName(name).map(storedName);
    if (!parts.length || parts.length > 3) return undefined;
    const table = parts[parts.length - 1];
    const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
    const database = parts.length === 3 ? parts[0] : await this.database();
    const found = await readTables(this.rows, database, schema ? [schema] : undefined, table);
    if (found.length <= 1) return found[0];
    const preferred = this.config.schema ? found.find(t => t.schema === storedName(this.config.schema!)) : undefined;
    if (preferred) return preferred;
    throw new WarehouseConnectionError(`Table ${table} exists in several schemas of ${database} (${found.map(t => t.schema).join(', ')}): name it as schema.table.`, 'other');
  }

  /** Who and where the session is, as Snowflake reports it. */
  async sessionInfo(): Promise<SnowflakeSessionInfo> {
    const [r] = await this.rows(`SELECT CURRENT_USER() AS USER_NAME, CURRENT_ROLE() AS ROLE_NAME, CURRENT_WAREHOUSE() AS WAREHOUSE_NAME,
      CURRENT_DATABASE() AS DATABASE_NAME, CURRENT_SCHEMA() AS SCHEMA_NAME`);
    const s = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : String(v));
    return { user: s(r?.USER_NAME), role: s(r?.ROLE_NAME), warehouse: s(r?.WAREHOUSE_NAME), database: s(r?.DATABASE_NAME), schema: s(r?.SCHEMA_NAME) };
  }

  /** Every table and view (with columns) of one database, or of some of its schemas. */
  async readCatalog(opts: { database?: string; schemas?: string[] } = {}): Promise<WarehouseTable[]> {
    const database = opts.database ? storedName(opts.database) : await this.database();
    return readTables(this.rows, database, opts.schemas?.map(storedName));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>(resolve => {
      const t = setTimeout(resolve, HEARTBEAT_MS);
      try {
        this.conn.destroy(() => { clearTimeout(t); resolve(); });
      } catch {
        clearTimeout(t);
        resolve();
      }
    });
    this.release();
  }

  /** The configured database, else the session's current one. */
  private database(): Promise<string> {
    if (this.config.database) return Promise.resolve(storedName(this.config.database));
    this.defaultDatabase ??= this.sessionInfo().then(s => {
      if (s.database) return s.database;
      this.defaultDatabase = undefined;
      throw new WarehouseConnectionError(`No Snowflake database is selected for ${who(this.config)}: set \`database\` in profiles.yml or connections.toml.`, 'missing');
    });
    return this.defaultDatabase;
  }

  /** Metadata statements: every row, as objects, under the session's statement timeout. */
  private readonly rows = async (sql: string, binds?: string[]): Promise<Record<string, unknown>[]> => {
    const r = await this.run(sql, { maxRows: Infinity, timeoutMs: this.statementTimeoutMs, binds });
    return r.rows.map(row => Object.fromEntries(r.columns.map((c, i) => [c.name.toUpperCase(), row[i]])));
  };

  private run(sql: string, o: RunInternal): Promise<QueryResult> {
    if (this.closed) return Promise.reject(new WarehouseConnectionError(`The connection to ${this.label} is closed: reconnect.`, 'other'));
    if (o.signal?.aborted) return Promise.reject(queryCancelled());
    const started = Date.now();
    const timeoutMs = Math.max(1, o.timeoutMs);
    const wanted = Number.isFinite(o.maxRows) ? Math.max(0, Math.floor(o.maxRows)) : Infinity;
    // The statement's own server-side timeout: the client's budget, never above the session's ceiling.
    const seconds = Math.max(1, Math.min(Math.ceil(this.statementTimeoutMs / 1000), Math.ceil(timeoutMs / 1000)));
    return new Promise<QueryResult>((resolve, reject) => {
      let state: 'running' | 'expiring' | 'done' = 'running';
      let statement: RowStatement | undefined;
      let stream: Readable | undefined;
      const finish = (settle: () => void) => {
        if (state === 'done') return;
        state = 'done';
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        stream?.destroy();
        settle();
      };
      const cancel = () => {
        try { statement?.cancel(() => undefined); } catch { /* finished meanwhile */ }
      };
      const onAbort = () => { cancel(); finish(() => reject(queryCancelled())); };
      // On timeout: cancel, then tell a slow query from a connection that dropped (no heartbeat answer).
      const timer = setTimeout(() => {
        if (state !== 'running') return;
        state = 'expiring';
        cancel();
        void this.isAlive().then(alive => finish(() => reject(alive ? queryTimeout(timeoutMs) : droppedConnection(this.ctx))));
      }, timeoutMs);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        statement = this.conn.execute({
          sqlText: sql, binds: o.binds, streamResult: true, rowMode: 'array', fetchAsString: ['Number'],
          parameters: { STATEMENT_TIMEOUT_IN_SECONDS: seconds },
          complete: (err, st) => {
            if (state !== 'running') return;
            if (err) { finish(() => reject(describeQueryError(err, this.ctx))); return; }
            stream = this.collect(st as RowStatement, wanted, started, sql, r => finish(() => resolve(r)), e => finish(() => reject(describeQueryError(e, this.ctx))));
          },
        }) as RowStatement;
      } catch (e) {
        finish(() => reject(describeQueryError(e, this.ctx)));
      }
    });
  }

  /** Streams at most one row past `wanted` (which tells whether the result was cut); the driver fetches no chunk beyond. */
  private collect(st: RowStatement, wanted: number, started: number, sql: string, done: (r: QueryResult) => void, fail: (e: unknown) => void): Readable | undefined {
    const cols = st.getColumns() ?? [];
    const columns = cols.map(c => ({ name: c.getName(), type: columnTypeName(c) }));
    const convert = cols.map(valueConverter);
    const total = st.getNumRows() ?? 0;
    const rows: unknown[][] = [];
    const result = (): QueryResult => ({
      columns, rows: rows.slice(0, wanted), truncated: total > wanted || rows.length > wanted, elapsedMs: Date.now() - started, sql,
    });
    if (wanted === 0 || total === 0 || !cols.length) { done(result()); return undefined; }
    const stream = st.streamRows(wanted === Infinity ? {} : { start: 0, end: wanted });
    stream.on('data', (row: unknown[]) => { rows.push(row.map((v, i) => convert[i](v))); });
    stream.on('error', fail);
    stream.on('end', () => done(result()));
    return stream;
  }

  private isAlive(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>(resolve => { timer = setTimeout(() => resolve(false), HEARTBEAT_MS); });
    return Promise.race([this.conn.isValidAsync().catch(() => false), late]).finally(() => clearTimeout(timer));
  }
}

/** The catalog of a Snowflake connection for the index; a failure becomes `error`, never a throw. */
export async function readSnowflakeCatalog(conn: WarehouseConnection, opts: { database?: string; schemas?: string[] } = {}): Promise<WarehouseCatalog> {
  const origin = conn instanceof SnowflakeWarehouse ? `snowflake://${conn.config.account}/${opts.database ?? conn.config.database ?? ''}` : conn.label;
  if (!(conn instanceof SnowflakeWarehouse)) return { kind: 'snowflake', origin, tables: [], error: `${conn.label} is not a Snowflake connection.` };
  try {
    return { kind: 'snowflake', origin, tables: await conn.readCatalog(opts) };
  } catch (e) {
    return { kind: 'snowflake', origin, tables: [], error: e instanceof Error ? e.message : String(e) };
  }
}
