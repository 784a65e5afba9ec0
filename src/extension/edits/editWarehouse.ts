// The warehouse for one action (profiling for documentation and tests, the review's uniqueness probe, the failing-test
// queries): resolved by the existing warehouse glue, opened for the action and closed after it. Every statement goes
// through the SQL guard first, like the chat's queries.
import type { QueryRunner } from '../../core/edits/runResultsExplain';
import type { UniquenessProbe } from '../../core/edits/review';
import { catalogTableOf } from '../../core/edits/refactorCatalog';
import { quoteIdent, relationSql } from '../../core/edits/profile';
import { checkReadOnly } from '../../core/sql/guard';
import type { WarehouseConnection } from '../../core/warehouse/connection';
import type { WorkspaceSnapshot } from '../../core/workspace/snapshot';
import type { FolderEngine } from '../engines/folderEngine';
import type { Log } from '../log';
import { readSettings } from '../settings';
import type { WarehouseAccess } from '../warehouse/warehouseAccess';

export interface ActionWarehouse {
  conn: WarehouseConnection;
  label: string;
  /** Guarded, limited, timed-out read-only statements. */
  query: QueryRunner;
}

/** Runs `fn` with an open connection, or with undefined and the reason there is none; always closes it. */
export async function withWarehouse<T>(warehouses: WarehouseAccess, folder: FolderEngine, log: Log,
  fn: (w: ActionWarehouse | undefined, why?: string) => Promise<T>): Promise<T> {
  const r = await warehouses.resolve(folder);
  if (!r.ok) return fn(undefined, r.message);
  let conn: WarehouseConnection;
  try {
    conn = await r.open();
  } catch (e) {
    const why = `${r.label} could not be opened: ${log.clean(e instanceof Error ? e.message : String(e))}`;
    log.warn(why);
    return fn(undefined, why);
  }
  try {
    return await fn({ conn, label: r.label, query: guardedRunner(conn, folder) }, undefined);
  } finally {
    await conn.close().catch(e => log.warn(`closing ${r.label} failed: ${String(e)}`));
  }
}

function guardedRunner(conn: WarehouseConnection, folder: FolderEngine): QueryRunner {
  const s = readSettings(folder.folder);
  return async sql => {
    const g = await checkReadOnly(sql, conn.kind);
    if (!g.ok) throw new Error(`refused by the SQL guard: ${g.reason}`);
    const r = await conn.query(g.statement, { maxRows: s.sqlMaxRows, timeoutMs: s.sqlTimeoutSeconds * 1000 });
    return { columns: r.columns.map(c => c.name), rows: r.rows };
  };
}

/** "Is the node's table unique on these columns?" from the data, for the review's fan-out rule. */
export function uniquenessProbe(snap: WorkspaceSnapshot, w: ActionWarehouse): UniquenessProbe {
  return async (node, columns) => {
    const t = catalogTableOf(snap, node);
    if (!t || !columns.length) return undefined;
    const list = columns.map(quoteIdent).join(', ');
    const r = await w.query(`select count(*) = count(distinct (${list})) as is_unique from ${relationSql(t, w.conn.kind)}`);
    const v = r.rows[0]?.[0];
    return typeof v === 'boolean' ? v : undefined;
  };
}
