// The extension's way to the warehouse of a workspace folder: settings + SecretStorage in, core's resolver and
// connectors out. All decisions (which warehouse, the SQL guard, the agent) are core's; this only supplies the
// user's settings and secrets, and routes chat questions to the analytics agent when it can answer them.
import type { Engine } from '../../core/engine';
import { runAgent } from '../../core/agent/agent';
import { isAnalyticalQuestion } from '../../core/agent/router';
import type { ChatModel } from '../../core/llm/types';
import { checkReadOnly } from '../../core/sql/guard';
import type { QueryResult, WarehouseConnection } from '../../core/warehouse/connection';
import { describeSource, openWarehouse, resolveWarehouse, testConnection, type WarehouseSource } from '../../core/warehouse/open';
import type { AgentRoute } from '../chat/chatController';
import type { FolderEngine } from '../engines/folderEngine';
import type { Log } from '../log';
import { readSettings, type DeaSettings } from '../settings';
import type { WarehouseSecrets } from './warehouseSecrets';

export type Resolved =
  | { ok: true; source: WarehouseSource; label: string; origin: string; dialect: WarehouseSource['kind']; open(): Promise<WarehouseConnection> }
  | { ok: false; message: string };

export type SqlRun =
  | { ok: true; result: QueryResult; statement: string; warehouse: string }
  | { ok: false; refused: boolean; message: string; warehouse?: string };

export class WarehouseAccess {
  constructor(private readonly secrets: WarehouseSecrets, private readonly log: Log) {}

  /** Which warehouse the folder uses (settings, then profiles.yml, then connections.toml), with the stored secrets. */
  async resolve(folder: FolderEngine, engine?: Engine): Promise<Resolved> {
    const s = readSettings(folder.folder);
    const snap = folder.snapshot ?? (engine ? await engine.snapshot().catch(() => undefined) : undefined);
    const r = resolveWarehouse(folder.folder.uri.fsPath, snap?.projects.map(p => p.info), settingsFor(s), process.env);
    if (!r.source) return { ok: false, message: r.reason ?? 'No warehouse is configured.' };
    if (s.warehouseKind !== 'auto' && r.source.kind !== s.warehouseKind) {
      return { ok: false, message: `dea.warehouse.kind is ${s.warehouseKind}, but the warehouse found is ${describeSource(r.source)} (${r.origin}): `
        + `set ${s.warehouseKind === 'duckdb' ? 'dea.warehouse.duckdbPath' : 'dea.warehouse.snowflakeConnection'}, or set dea.warehouse.kind to auto.` };
    }
    const source = await this.withSecrets(r.source);
    return {
      ok: true, source, label: describeSource(source), origin: r.origin ?? 'settings', dialect: source.kind,
      open: () => openWarehouse(source, { timeoutMs: s.sqlTimeoutSeconds * 1000 }),
    };
  }

  /** "Test Warehouse Connection": which warehouse, whether it opened, and what to do when it did not. */
  async test(folder: FolderEngine): Promise<{ ok: boolean; message: string; label?: string }> {
    const r = await this.resolve(folder);
    if (!r.ok) return { ok: false, message: r.message };
    const t = await testConnection(r.source, { timeoutMs: readSettings(folder.folder).sqlTimeoutSeconds * 1000 });
    const message = `${t.message} [warehouse from ${r.origin}]`;
    this.log.info(`warehouse test: ${message}`);
    return { ok: t.ok, message, label: r.label };
  }

  /** One statement the user wrote: guarded (refusals say why), limited, timed out, on a connection closed after. */
  async runSql(folder: FolderEngine, sql: string, signal?: AbortSignal): Promise<SqlRun> {
    const r = await this.resolve(folder);
    if (!r.ok) return { ok: false, refused: false, message: r.message };
    const guarded = await checkReadOnly(sql, r.dialect);
    if (!guarded.ok) return { ok: false, refused: true, message: guarded.reason, warehouse: r.label };
    const s = readSettings(folder.folder);
    let conn: WarehouseConnection | undefined;
    try {
      conn = await r.open();
      const result = await conn.query(guarded.statement, { maxRows: s.sqlMaxRows, timeoutMs: s.sqlTimeoutSeconds * 1000, signal });
      this.log.info(`SQL on ${r.label}: ${result.rows.length} row(s) in ${Math.round(result.elapsedMs)} ms`);
      return { ok: true, result, statement: guarded.statement, warehouse: r.label };
    } catch (e) {
      return { ok: false, refused: false, message: this.log.clean(e instanceof Error ? e.message : String(e)), warehouse: r.label };
    } finally {
      await conn?.close().catch(() => undefined);
    }
  }

  /**
   * Whether a chat question goes to the analytics agent: it asks about data values, a model is available and a
   * warehouse is configured. Otherwise an optional note for the offline/project answer says what is missing.
   */
  async route(folder: FolderEngine, engine: Engine, question: string, model: ChatModel | undefined): Promise<{ agent?: AgentRoute; note?: string }> {
    const snap = await engine.snapshot();
    if (!isAnalyticalQuestion(question, snap)) return {};
    if (!model) {
      return { note: 'This looks like a question about the data in the warehouse: with a language model (**DEA: Choose Language Model**) '
        + 'the agent answers it with read-only SQL, showing the query and its rows.' };
    }
    const r = await this.resolve(folder, engine);
    if (!r.ok) return { note: `This looks like a question about the data, but the warehouse is not available: ${r.message}` };
    return {
      agent: {
        warehouse: r.label,
        run: opts => runAgent(question, { engine, model, openConnection: r.open, dialect: r.dialect }, opts),
      },
    };
  }

  /** Secrets from SecretStorage fill what profiles.yml, connections.toml and the environment left out. */
  private async withSecrets(source: WarehouseSource): Promise<WarehouseSource> {
    if (source.kind !== 'snowflake') return source;
    const stored = await this.secrets.all();
    for (const v of Object.values(stored)) this.log.addSecret(v);
    return {
      ...source,
      secrets: {
        ...source.secrets,
        password: source.secrets.password ?? stored.password,
        passphrase: source.secrets.passphrase ?? stored.privateKeyPassphrase,
      },
    };
  }
}

function settingsFor(s: DeaSettings): { duckdbPath?: string; snowflakeConnection?: string; target?: string } {
  // The kind setting narrows the explicit choice: "snowflake" ignores a DuckDB path and vice versa.
  return {
    ...(s.duckdbPath && s.warehouseKind !== 'snowflake' ? { duckdbPath: s.duckdbPath } : {}),
    ...(s.snowflakeConnection && s.warehouseKind !== 'duckdb' ? { snowflakeConnection: s.snowflakeConnection } : {}),
    ...(s.warehouseTarget ? { target: s.warehouseTarget } : {}),
  };
}
