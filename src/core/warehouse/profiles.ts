// Finds and reads dbt's profiles.yml the way dbt does (explicit path, project folder, DBT_PROFILES_DIR, ~/.dbt),
// renders env_var() in the chosen target and returns a typed, secret-aware connection config.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument, LineCounter, isMap, isScalar, visit, type Document, type Node as YamlNode } from 'yaml';
import type { Problem } from '../types';
import { JinjaError, evaluate, parseExpr, render, type JinjaContext, type JinjaValue } from './jinjaLite';

interface ConnectionBase {
  /** Profile and target the config came from, for messages. */
  profileName: string;
  targetName: string;
  threads?: number;
}

export interface DuckDbConnectionConfig extends ConnectionBase {
  type: 'duckdb';
  /** Absolute file path, ':memory:', or a URI kept as written (md:..., s3://...). */
  path: string;
  /** Catalog name dbt-duckdb uses: `database` when set, else the file's stem. */
  database: string;
  schema?: string;
  extensions?: string[];
  settings?: Record<string, unknown>;
}

export interface SnowflakeConnectionConfig extends ConnectionBase {
  type: 'snowflake';
  account: string;
  user: string;
  role?: string;
  warehouse?: string;
  database?: string;
  schema?: string;
  authenticator?: string;
  password?: string;
  private_key_path?: string;
  private_key?: string;
  private_key_passphrase?: string;
  token?: string;
  query_tag?: string;
}

export interface OtherConnectionConfig extends ConnectionBase {
  type: 'other';
  adapter: string;
  database?: string;
  schema?: string;
}

export type ConnectionConfig = DuckDbConnectionConfig | SnowflakeConnectionConfig | OtherConnectionConfig;

export interface ProfileOptions {
  /** Absolute folder holding dbt_project.yml. */
  projectDir: string;
  /** Explicit profiles.yml, or the folder holding it (like dbt's --profiles-dir). */
  profilesPath?: string;
  /** Defaults to dbt_project.yml's `profile:`. */
  profileName?: string;
  /** Overrides the profile's `target:`. */
  target?: string;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** Problem paths are made relative to this folder (the workspace root); defaults to projectDir. */
  relativeTo?: string;
}

export interface ProfileResult {
  config?: ConnectionConfig;
  /** Absolute path of the profiles.yml used. */
  profilesPath?: string;
  /** Every location looked at, in order. */
  searched: string[];
  profileName?: string;
  targetName?: string;
  problems: Problem[];
}

// ---------------------------------------------------------------- finding the file

function asProfilesFile(p: string): string {
  return p.endsWith('.yml') || p.endsWith('.yaml') ? p : path.join(p, 'profiles.yml');
}

/** dbt's search order; an explicit path is final (a wrong setting should be reported, not silently bypassed). */
export function findProfilesFile(opts: ProfileOptions): { path?: string; searched: string[] } {
  if (opts.profilesPath) {
    const p = asProfilesFile(path.resolve(opts.projectDir, opts.profilesPath));
    return { path: isFile(p) ? p : undefined, searched: [p] };
  }
  const env = opts.env ?? process.env;
  const candidates = [path.join(opts.projectDir, 'profiles.yml')];
  if (env.DBT_PROFILES_DIR) candidates.push(asProfilesFile(path.resolve(opts.projectDir, env.DBT_PROFILES_DIR)));
  candidates.push(path.join(opts.homeDir ?? os.homedir(), '.dbt', 'profiles.yml'));
  return { path: candidates.find(isFile), searched: candidates };
}

function isFile(p: string): boolean {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

// ---------------------------------------------------------------- reading it

/** Finds profiles.yml, picks the project's profile and target and returns its connection config. */
export function loadConnection(opts: ProfileOptions): ProfileResult {
  const rel = (abs: string) => problemPath(abs, opts.relativeTo ?? opts.projectDir);
  const problems: Problem[] = [];
  const result: ProfileResult = { searched: [], problems };
  const profileName = opts.profileName ?? readProjectProfile(opts.projectDir, rel, problems);
  if (!profileName) return result;
  result.profileName = profileName;

  const found = findProfilesFile(opts);
  result.searched = found.searched;
  if (!found.path) {
    problems.push({
      path: rel(opts.profilesPath ? found.searched[0] : path.join(opts.projectDir, 'dbt_project.yml')),
      severity: opts.profilesPath ? 'error' : 'warning',
      message: opts.profilesPath
        ? `profiles.yml not found at ${found.searched[0]}: fix the profiles path setting or remove it to use dbt's default locations.`
        : `No profiles.yml found (looked in ${found.searched.join(', ')}): create ~/.dbt/profiles.yml with profile '${profileName}', or set DBT_PROFILES_DIR.`,
    });
    return result;
  }
  result.profilesPath = found.path;
  const file = rel(found.path);
  const lines = new LineCounter();
  const doc = parseDocument(readText(found.path), { lineCounter: lines, uniqueKeys: false });
  const at = (n: YamlNode | null | undefined) => (n?.range ? lines.linePos(n.range[0]).line : undefined);
  for (const e of doc.errors) problems.push({ path: file, line: lines.linePos(e.pos[0]).line, severity: 'error', message: `profiles.yml is not valid YAML: ${e.message}` });
  if (doc.errors.length) return result;

  const env = opts.env ?? process.env;
  const target = pickTarget(doc, profileName, opts.target, env, { file, at, problems });
  if (!target) return result;
  result.targetName = target.name;
  const { raw, failed } = renderTarget(target.node, env, { file, at, problems });
  // Without its path a duckdb target would silently mean ':memory:'; the Problem says why there is no config.
  if (failed.has('type') || (raw.type === 'duckdb' && failed.has('path'))) return result;
  result.config = toConnectionConfig(raw, profileName, target.name, opts, { file, line: at(target.node), problems });
  return result;
}

function readText(p: string): string {
  try { return fs.readFileSync(p, 'utf8'); } catch { return ''; }
}

function problemPath(abs: string, base: string): string {
  const r = path.relative(base, abs);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r.split(path.sep).join('/') : abs;
}

function readProjectProfile(projectDir: string, rel: (p: string) => string, problems: Problem[]): string | undefined {
  const p = path.join(projectDir, 'dbt_project.yml');
  const doc = parseDocument(readText(p), { uniqueKeys: false });
  const profile = doc.errors.length ? undefined : doc.get('profile');
  if (typeof profile === 'string' && profile) return profile;
  problems.push({ path: rel(p), severity: 'warning', message: 'dbt_project.yml names no `profile:`: add one so the warehouse connection can be found in profiles.yml.' });
  return undefined;
}

interface Reporter {
  file: string;
  at: (n: YamlNode | null | undefined) => number | undefined;
  problems: Problem[];
}

function pickTarget(doc: Document, profileName: string, override: string | undefined, env: Record<string, string | undefined>, r: Reporter): { name: string; node: YamlNode } | undefined {
  const root = doc.contents;
  const profiles = isMap(root) ? root.items.map(i => String(isScalar(i.key) ? i.key.value : i.key)).filter(k => k !== 'config') : [];
  const profile = doc.get(profileName, true) as YamlNode | undefined;
  if (!isMap(profile)) {
    r.problems.push({ path: r.file, line: 1, severity: 'error', message: `profiles.yml has no profile '${profileName}' (it has: ${profiles.join(', ') || 'none'}): add it or change \`profile:\` in dbt_project.yml.` });
    return undefined;
  }
  const targetNode = profile.get('target', true) as YamlNode | undefined;
  const written = isScalar(targetNode) ? str(renderScalar(targetNode, env, r)) : undefined;
  const targetName = override ?? written ?? 'default';
  const outputs = profile.get('outputs', true) as YamlNode | undefined;
  const node = isMap(outputs) ? (outputs.get(targetName, true) as YamlNode | undefined) : undefined;
  if (!isMap(node)) {
    const names = isMap(outputs) ? outputs.items.map(i => String(isScalar(i.key) ? i.key.value : i.key)) : [];
    r.problems.push({ path: r.file, line: r.at(outputs ?? profile), severity: 'error', message: `Profile '${profileName}' has no output '${targetName}' (outputs: ${names.join(', ') || 'none'}): pick one of them as the target.` });
    return undefined;
  }
  return { name: targetName, node };
}

/** Renders env_var() in every string of the target; returns plain JS values and the top-level keys that failed. */
function renderTarget(node: YamlNode, env: Record<string, string | undefined>, r: Reporter): { raw: Record<string, unknown>; failed: Set<string> } {
  const failed = new Set<string>();
  if (isMap(node)) {
    for (const item of node.items) {
      const before = r.problems.length;
      visit(item.value as YamlNode, { Scalar: (_key, s) => { if (typeof s.value === 'string') s.value = renderScalar(s, env, r); } });
      if (r.problems.length > before) failed.add(String(isScalar(item.key) ? item.key.value : item.key));
    }
  }
  return { raw: (node.toJSON() ?? {}) as Record<string, unknown>, failed };
}

function renderScalar(s: YamlNode & { value?: unknown }, env: Record<string, string | undefined>, r: Reporter): unknown {
  const text = s.value;
  if (typeof text !== 'string' || !/\{[{%]/.test(text)) return text;
  const ctx: JinjaContext = {
    lookup: p => { throw new JinjaError(`'${p.join('.')}' is not available in profiles.yml here`); },
    call: (p, args) => envVar(p, args, env),
  };
  try {
    // A value that is one expression keeps its type (`{{ env_var('T') | as_number }}`), like dbt's native rendering.
    const whole = /^\s*\{\{([\s\S]*?)\}\}\s*$/.exec(text);
    return whole && !whole[1].includes('}}') ? evaluate(parseExpr(whole[1].replace(/^-|-$/g, '').trim()), ctx) ?? undefined : render(text, ctx);
  } catch (e) {
    const message = e instanceof JinjaError ? e.message : String(e);
    r.problems.push({ path: r.file, line: r.at(s), severity: 'error', message: `Cannot render \`${text}\`: ${message}.` });
    return undefined;
  }
}

function envVar(p: string[], args: JinjaValue[], env: Record<string, string | undefined>): JinjaValue {
  if (p.join('.') !== 'env_var') throw new JinjaError(`'${p.join('.')}()' is not supported in profiles.yml (only env_var)`);
  const name = String(args[0] ?? '');
  const value = env[name];
  if (value !== undefined) return value;
  if (args.length > 1) return args[1];
  throw new JinjaError(`the environment variable ${name} is not set and has no default; set it, or give a default: env_var('${name}', '...')`);
}

// ---------------------------------------------------------------- typed config

interface Where { file: string; line?: number; problems: Problem[] }

function str(v: unknown): string | undefined {
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

function num(v: unknown): number | undefined {
  const n = Number(v);
  return v === undefined || v === null || v === '' || !Number.isFinite(n) ? undefined : n;
}

function toConnectionConfig(raw: Record<string, unknown>, profileName: string, targetName: string, opts: ProfileOptions, w: Where): ConnectionConfig | undefined {
  const adapter = str(raw.type);
  const base = { profileName, targetName, threads: num(raw.threads) };
  if (!adapter) {
    w.problems.push({ path: w.file, line: w.line, severity: 'error', message: `Output '${targetName}' of profile '${profileName}' has no \`type:\`: set the adapter (duckdb, snowflake, ...).` });
    return undefined;
  }
  if (adapter === 'duckdb') return protect(duckDbConfig(raw, base, opts));
  if (adapter === 'snowflake') {
    const account = str(raw.account);
    const user = str(raw.user);
    if (!account || !user) {
      w.problems.push({ path: w.file, line: w.line, severity: 'error', message: `Snowflake output '${targetName}' needs \`account\` and \`user\`: add them to profiles.yml.` });
      return undefined;
    }
    return protect({
      ...base, type: 'snowflake', account, user,
      role: str(raw.role), warehouse: str(raw.warehouse), database: str(raw.database), schema: str(raw.schema),
      authenticator: str(raw.authenticator), password: str(raw.password), private_key_path: expandHome(str(raw.private_key_path), opts),
      private_key: str(raw.private_key), private_key_passphrase: str(raw.private_key_passphrase), token: str(raw.token),
      query_tag: str(raw.query_tag),
    });
  }
  return protect({ ...base, type: 'other', adapter, database: str(raw.database ?? raw.dbname), schema: str(raw.schema ?? raw.dataset) });
}

function duckDbConfig(raw: Record<string, unknown>, base: ConnectionBase, opts: ProfileOptions): DuckDbConnectionConfig {
  const written = str(raw.path) ?? ':memory:';
  const p = resolveDuckDbPath(written, opts);
  const ext = Array.isArray(raw.extensions) ? raw.extensions.map(e => (typeof e === 'string' ? e : str((e as { name?: unknown })?.name) ?? '')).filter(Boolean) : undefined;
  const settings = raw.settings && typeof raw.settings === 'object' ? (raw.settings as Record<string, unknown>) : undefined;
  return { ...base, type: 'duckdb', path: p, database: str(raw.database) ?? duckDbStem(p), schema: str(raw.schema), extensions: ext, settings };
}

/** dbt resolves a relative path against its working directory, which is normally the project folder. */
function resolveDuckDbPath(p: string, opts: ProfileOptions): string {
  if (p === ':memory:' || p.startsWith(':memory:') || /^[a-z][a-z0-9+.-]+:/i.test(p)) return p;
  return path.resolve(opts.projectDir, expandHome(p, opts) ?? p);
}

function expandHome(p: string | undefined, opts: ProfileOptions): string | undefined {
  return p && /^~[/\\]/.test(p) ? path.join(opts.homeDir ?? os.homedir(), p.slice(2)) : p;
}

function duckDbStem(p: string): string {
  if (p.startsWith(':memory:')) return p.slice(':memory:'.length).replace(/^:/, '') || 'memory';
  const last = p.replace(/^[a-z][a-z0-9+.-]+:(\/\/)?/i, '').split(/[/\\]/).pop() ?? p;
  return last.replace(/\.[^.]*$/, '') || 'memory';
}

// ---------------------------------------------------------------- secrets

const SECRET_KEY = /password|passphrase|secret|token|private_key$|^private_key|credential|api_key|access_key/i;

/** A copy safe for logs and messages: every secret value replaced by '***' (nested settings included). */
export function redactConnection(config: ConnectionConfig): Record<string, unknown> {
  return redact(config) as Record<string, unknown>;
}

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val === undefined) continue;
    out[k] = SECRET_KEY.test(k) && !k.endsWith('_path') ? '***' : redact(val);
  }
  return out;
}

/** One line for logs: adapter, where, who; never a secret. */
export function describeConnection(c: ConnectionConfig): string {
  const where = c.type === 'duckdb' ? c.path
    : c.type === 'snowflake' ? `account ${c.account} as ${c.user}${c.database ? `, ${c.database}${c.schema ? '.' + c.schema : ''}` : ''}`
      : c.database ?? '';
  return `${c.type === 'other' ? c.adapter : c.type} (${c.profileName}.${c.targetName}) ${where}`.trim();
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** JSON.stringify, String() and console.log of a config show the redacted form; fields stay readable. */
function protect<T extends ConnectionConfig>(c: T): T {
  const hidden = { enumerable: false, configurable: true, writable: true };
  Object.defineProperty(c, 'toJSON', { ...hidden, value: () => redactConnection(c) });
  Object.defineProperty(c, 'toString', { ...hidden, value: () => describeConnection(c) });
  Object.defineProperty(c, INSPECT, { ...hidden, value: () => redactConnection(c) });
  return c;
}
