// Turns snowflake-sdk errors into WarehouseConnectionErrors that say which account/host, what happened and what
// to do. Messages are built from codes and the server's text, then masked, so a secret can never leak into them.
import { WarehouseConnectionError } from './connection';
import { passwordHint, who, type SnowflakeAuth } from './snowflakeAuth';
import { maskSecrets } from './snowflakeDriver';
import type { SnowflakeConnectionConfig } from './profiles';

export interface ErrorContext {
  cfg: SnowflakeConnectionConfig;
  /** host[:port] the driver talks to. */
  host: string;
  auth?: SnowflakeAuth['kind'];
}

interface DriverError {
  code?: string | number;
  sqlState?: string;
  message?: string;
  cause?: { code?: string; message?: string; response?: { status?: number } };
  response?: { statusCode?: number; status?: number };
}

const NETWORK_REASONS: Record<string, string> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  ECONNABORTED: 'the request timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'a TLS certificate in its chain is self-signed (a proxy?)',
};

function text(e: unknown): string {
  return e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as DriverError).message) : String(e);
}

function firstLine(s: string): string {
  return s.split('\n').map(l => l.trim()).filter(Boolean).join(' ').slice(0, 500);
}

function networkCause(e: DriverError): string | undefined {
  const code = e.cause?.code ?? (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : undefined);
  return code ? `${code}: ${NETWORK_REASONS[code] ?? 'network error'}` : undefined;
}

function isNetworkError(e: DriverError): boolean {
  return Number(e.code) === 401001 || !!networkCause(e);
}

/** A failed login: wrong password or key, role not granted, unreachable host, ... */
export function describeLoginError(e: unknown, ctx: ErrorContext): WarehouseConnectionError {
  const err = (e ?? {}) as DriverError;
  const code = String(err.code ?? '');
  const server = firstLine(text(e));
  const make = (m: string, reason: WarehouseConnectionError['reason']) => new WarehouseConnectionError(maskSecrets(m), reason);
  if (code === '390100' && ctx.auth !== 'keypair') {
    return make(`Snowflake rejected the login for ${who(ctx.cfg)} (390100): check the password — ${passwordHint()}.`, 'auth');
  }
  if (code === '390144' || (code === '390100' && ctx.auth === 'keypair')) {
    return make(`Snowflake rejected the key-pair login for ${who(ctx.cfg)} (${code}: ${server}): the private key does not match the public key ` +
      'registered for the user (ALTER USER … SET RSA_PUBLIC_KEY) — check private_key_path / SNOWFLAKE_PRIVATE_KEY_PATH.', 'auth');
  }
  if (code === '390189') {
    return make(`Snowflake refused role ${ctx.cfg.role ?? '(default)'} for ${who(ctx.cfg)} (390189): grant the role to the user, or change \`role\` in profiles.yml / connections.toml.`, 'auth');
  }
  if (/^390\d{3}$/.test(code)) {
    return make(`Snowflake rejected the login for ${who(ctx.cfg)} (${code}: ${server}).`, 'auth');
  }
  if (isNetworkError(err)) return unreachable(err, ctx);
  const status = err.response?.statusCode ?? err.response?.status ?? err.cause?.response?.status;
  if (status) {
    return make(`Snowflake at ${ctx.host} answered the login with HTTP ${status}: check the account identifier (${ctx.cfg.account}) and any proxy.`, 'unreachable');
  }
  return make(`Cannot log in to Snowflake as ${who(ctx.cfg)}: ${server || 'unknown error'}.`, 'other');
}

export function unreachable(e: DriverError | undefined, ctx: ErrorContext): WarehouseConnectionError {
  const cause = e ? networkCause(e) : undefined;
  return new WarehouseConnectionError(maskSecrets(
    `Cannot reach Snowflake at ${ctx.host}${cause ? ` (${cause})` : ''}: check the account identifier (${ctx.cfg.account}), ` +
    'the network, VPN or proxy, then try again.'), 'unreachable');
}

/** The connection went away while a query was running. */
export function droppedConnection(ctx: ErrorContext): WarehouseConnectionError {
  return new WarehouseConnectionError(
    `The connection to Snowflake at ${ctx.host} dropped while the query was running, and Snowflake no longer answers: ` +
    'check the network or VPN, then run the query again.', 'unreachable');
}

export function queryTimeout(timeoutMs: number): WarehouseConnectionError {
  return new WarehouseConnectionError(
    `The Snowflake query ran longer than the ${formatMs(timeoutMs)} timeout and was cancelled: narrow it (filters, LIMIT) or raise the timeout.`, 'timeout');
}

export function queryCancelled(): WarehouseConnectionError {
  return new WarehouseConnectionError('The Snowflake query was cancelled.', 'other');
}

/** A failed statement: SQL errors carry Snowflake's code and SQLSTATE. */
export function describeQueryError(e: unknown, ctx: ErrorContext): WarehouseConnectionError {
  const err = (e ?? {}) as DriverError;
  const code = String(err.code ?? '');
  const server = firstLine(text(e));
  if (code === '000630') {
    return new WarehouseConnectionError(maskSecrets(`Snowflake cancelled the query at its statement timeout (000630: ${server}): narrow it (filters, LIMIT) or raise the timeout.`), 'timeout');
  }
  if (code === '000604') return queryCancelled();
  if (code === '390112' || code === '390114' || code === '390104' || code === '390111') {
    return new WarehouseConnectionError(`The Snowflake session for ${who(ctx.cfg)} expired or was closed (${code}): reconnect and run the query again.`, 'auth');
  }
  if (isNetworkError(err)) return unreachable(err, ctx);
  if (Number(code) === 407002) return new WarehouseConnectionError(`The connection to Snowflake at ${ctx.host} is closed: reconnect and run the query again.`, 'unreachable');
  if (/^\d{6}$/.test(code) && Number(code) < 400000) {
    return new WarehouseConnectionError(maskSecrets(`Snowflake SQL error ${code}${err.sqlState ? ` (${err.sqlState})` : ''}: ${server}`), 'sql');
  }
  return new WarehouseConnectionError(maskSecrets(`Snowflake query failed${code ? ` (${code})` : ''}: ${server || 'unknown error'}`), 'other');
}

export function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
