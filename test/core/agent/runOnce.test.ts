// Single tool calls outside an agent run (what VS Code's agent-mode tools use): project tools on the real index,
// warehouse tools on the real DuckDB file through a recording connection, opened only when needed and always closed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runToolOnce } from '../../../src/core/agent/tools/runOnce';
import type { RunOptions, WarehouseConnection } from '../../../src/core/warehouse/connection';
import { openDuckDbConnection } from '../../../src/core/warehouse/duckdbConnection';
import { openWorkspace, type Workspace } from './agentFixture';

let ws: Workspace;
before(async () => { ws = await openWorkspace(); });
after(async () => { await ws?.close(); });

/** A real DuckDB connection that records what it runs and whether it was opened and closed. */
function recorded() {
  const rec = { ran: [] as string[], opened: 0, closed: 0 };
  const open = async (): Promise<WarehouseConnection> => {
    const conn = await openDuckDbConnection(ws.dbPath);
    rec.opened++;
    return new Proxy(conn, {
      get(target, prop, receiver) {
        if (prop === 'query') return (sql: string, o: RunOptions) => { rec.ran.push(sql); return target.query(sql, o); };
        if (prop === 'close') return () => { rec.closed++; return target.close(); };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  };
  return { rec, warehouse: { dialect: 'duckdb' as const, open } };
}

describe('runToolOnce', () => {
  test('project tools answer from the index, with repository text quoted as data', async () => {
    const lineage = await runToolOnce('lineage', { model: 'fct_orders', direction: 'upstream', depth: 1 }, { engine: ws.engine });
    assert.equal(lineage.ok, true);
    const snap = await ws.engine.snapshot();
    for (const parent of snap.graph.upstream('model.shopwise.fct_orders', 1)) assert.ok(lineage.text.includes(parent.node.name), `${parent.node.name} missing`);
    assert.doesNotMatch(lineage.text, /downstream/);
    const search = await runToolOnce('search', { query: 'customer lifetime value', limit: 3 }, { engine: ws.engine });
    assert.match(search.text, /customer_lifetime_value/);
    assert.match(search.text, /^<untrusted source="index search for &quot;customer lifetime value&quot;">\n[\s\S]*\n<\/untrusted>$/, "passages are marked as data");
    const missing = await runToolOnce('lineage', { model: 'no_such_model' }, { engine: ws.engine });
    assert.equal(missing.ok, false);
    assert.match(missing.text, /^ERROR: no model, source, seed or snapshot named "no_such_model"/);
  });

  test('a warehouse tool without a warehouse says why, and an unknown tool is an error, not a throw', async () => {
    const r = await runToolOnce('execute_query', { sql: 'select 1' }, { engine: ws.engine, noWarehouse: 'no DuckDB profile or file was found' });
    assert.equal(r.ok, false);
    assert.match(r.text, /no DuckDB profile or file was found/);
    const unknown = await runToolOnce('drop_everything', {}, { engine: ws.engine });
    assert.equal(unknown.ok, false);
    assert.match(unknown.text, /no tool "drop_everything"/);
  });

  test('execute_query runs a read-only statement with the row limit, and closes the connection it opened', async () => {
    const { rec, warehouse } = recorded();
    const r = await runToolOnce('execute_query', { sql: 'select order_id from marts.fct_orders order by order_id' }, { engine: ws.engine, warehouse, settings: { maxRows: 4 } });
    assert.equal(r.ok, true, r.text);
    assert.equal(r.result?.rows.length, 4);
    assert.equal(r.result?.truncated, true);
    assert.equal(rec.ran.length, 1);
    assert.deepEqual([rec.opened, rec.closed], [1, 1]);
  });

  test('a write is refused before the warehouse is touched; a declined query does not run', async () => {
    const { rec, warehouse } = recorded();
    const write = await runToolOnce('execute_query', { sql: 'delete from marts.fct_orders' }, { engine: ws.engine, warehouse });
    assert.match(write.text, /REFUSED/);
    const asked: string[] = [];
    const declined = await runToolOnce('execute_query', { sql: 'select count(*) from marts.fct_orders' },
      { engine: ws.engine, warehouse, settings: { confirmQuery: async sql => { asked.push(sql); return false; } } });
    assert.deepEqual(asked, ['select count(*) from marts.fct_orders']);
    assert.match(declined.text, /declined/i);
    assert.deepEqual(rec.ran, []);
    assert.equal(rec.opened, rec.closed);
  });
});
