// One tool call outside an agent run (VS Code's agent-mode tools): the same tools, guard, limits, masking and
// quoting as the agent's own calls. The warehouse is opened only when the tool needs it, and closed after.
import type { Engine } from '../../engine';
import type { WarehouseConnection } from '../../warehouse/connection';
import { AgentCatalog } from '../catalog';
import { toolByName } from './index';
import { errorText, fail, type SqlDialect, type ToolRun, type ToolSettings } from './tool';

export interface ToolCallOptions {
  engine: Pick<Engine, 'search' | 'snapshot'>;
  /** The workspace's warehouse; without one, warehouse tools answer why they cannot run. */
  warehouse?: { dialect: SqlDialect; open: () => Promise<WarehouseConnection> };
  /** Why there is no warehouse (said by warehouse tools that need one). */
  noWarehouse?: string;
  settings?: Partial<ToolSettings>;
  signal?: AbortSignal;
}

const DEFAULTS: ToolSettings = { maxRows: 200, timeoutMs: 30_000, allowPersonalData: false, maxRetries: 2 };

/** Runs the core tool `name` once; never throws for bad input or warehouse errors (the text says what went wrong). */
export async function runToolOnce(name: string, args: Record<string, unknown>, opts: ToolCallOptions): Promise<ToolRun> {
  const tool = toolByName(name);
  if (!tool) return fail(`there is no tool "${name}"`);
  const snap = await opts.engine.snapshot();
  let conn: Promise<WarehouseConnection> | undefined;
  const connection = () => (conn ??= opts.warehouse
    ? opts.warehouse.open()
    : Promise.reject(new Error(opts.noWarehouse ?? 'no warehouse is configured for this workspace')));
  try {
    return await tool.run(args, {
      engine: opts.engine, snap, catalog: new AgentCatalog(snap), dialect: opts.warehouse?.dialect ?? 'duckdb', connection,
      settings: { ...DEFAULTS, ...opts.settings }, state: { failures: 0 }, signal: opts.signal, callId: `${name}-${Date.now()}`, emit: () => undefined,
    });
  } catch (e) {
    return fail(`${name} failed: ${errorText(e)}`);
  } finally {
    const c = await conn?.catch(() => undefined);
    await c?.close().catch(() => undefined);
  }
}
