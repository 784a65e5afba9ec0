// `dea sql` as users run it: the esbuild bundle on a private copy of the example with its DuckDB warehouse built.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { ensureExampleWarehouse } from '../../src/cli/demo';
import { copyExample, type ExampleCopy } from '../support/example';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
let ex: ExampleCopy;
let dbPath: string;

/** Runs the CLI without blocking the event loop (the lock test's writer lives in a child of this process). */
function dea(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [CLI, 'sql', ...args], { cwd: ex.dir });
  let out = '', err = '';
  child.stdout.on('data', d => { out += d; });
  child.stderr.on('data', d => { err += d; });
  return new Promise(resolve => child.on('close', code => resolve({ code, out, err })));
}

before(async () => {
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.config.mjs')], { cwd: ROOT });
  ex = copyExample({ history: false });
  const built = await ensureExampleWarehouse(ex.dir);
  assert.ok(built && !built.failed.length, JSON.stringify(built?.failed));
  dbPath = built.dbPath;
});
after(() => ex?.cleanup());

describe('dea sql', () => {
  test('a select prints an aligned table, the row count and the elapsed time', async () => {
    const r = await dea(['select order_status, count(*) as orders from marts.fct_orders group by 1 order by 2 desc, 1 -- by status', '--workspace', ex.dir]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trimEnd().split('\n');
    assert.match(lines[0], /^order_status +\| orders$/);
    assert.match(lines[1], /^-+-\+-+$/);
    assert.match(lines[2], /^completed +\| +\d+$/);
    assert.equal(lines[0].indexOf('|'), lines[2].indexOf('|'), 'columns are aligned');
    assert.match(lines[lines.length - 1], /^5 rows in \d+ ms$/);
  });

  test('--json prints columns, rows, the row count, truncation and the SQL sent; --max-rows limits', async () => {
    const r = await dea(['select order_id from marts.fct_orders order by order_id', '--workspace', ex.dir, '--json', '--max-rows', '3']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.columns, [{ name: 'order_id', type: 'INTEGER' }]);
    assert.equal(j.rows.length, 3);
    assert.equal(j.rowCount, 3);
    assert.equal(j.truncated, true);
    assert.match(j.sql, /^select \* from \(\nselect order_id from marts\.fct_orders order by order_id\n\) limit 4$/);
    const text = await dea(['select order_id from marts.fct_orders', '--duckdb', dbPath, '--max-rows', '2']);
    assert.match(text.out, /2 rows \(more exist: raise --max-rows, now 2\) in \d+ ms/);
  });

  test('a write is refused with the reason and a non-zero exit; the table is untouched', async () => {
    const r = await dea(['delete from marts.fct_orders', '--workspace', ex.dir]);
    assert.equal(r.code, 3);
    assert.match(r.err, /Refused: `DELETE` changes data/);
    assert.equal(r.out, '');
    const hidden = await dea(['select 1; drop table marts.fct_orders', '--workspace', ex.dir, '--json']);
    assert.equal(hidden.code, 3);
    assert.match(JSON.parse(hidden.out).error, /2 statements/);
    const count = await dea(['select count(*) as n from marts.fct_orders', '--workspace', ex.dir, '--json']);
    assert.deepEqual(JSON.parse(count.out).rows, [[2500]]);
  });

  test('a file reader is refused', async () => {
    const r = await dea(["select * from read_csv('/etc/passwd')", '--workspace', ex.dir]);
    assert.equal(r.code, 3);
    assert.match(r.err, /the table function `read_csv` reads files/);
    const replacement = await dea(["select * from '/etc/passwd'", '--workspace', ex.dir]);
    assert.equal(replacement.code, 3);
    assert.match(replacement.err, /looks like a file/);
  });

  test('a failing query exits 1 with DuckDB\'s message and a hint', async () => {
    const r = await dea(['select * from marts.fct_order', '--workspace', ex.dir]);
    assert.equal(r.code, 1);
    assert.match(r.err, /rejected the query: Catalog Error: Table with name fct_order does not exist \(Did you mean "fct_orders"\?\)/);
  });

  test('a missing database file and a usage error say what to do', async () => {
    const missing = await dea(['select 1', '--duckdb', path.join(ex.dir, 'nope.duckdb')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nope\.duckdb not found — run `dbt build`/);
    const usage = await dea([]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /the SQL statement is missing/);
  });

  test('a warehouse file locked by a writer gives a clear message', async () => {
    const writer = await startWriter(dbPath);
    try {
      const r = await dea(['select 1', '--workspace', ex.dir]);
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`is locked by another process \\(pid ${writer.pid}\\) that is writing it`));
    } finally {
      await stop(writer);
    }
    const again = await dea(['select 1 as one', '--workspace', ex.dir, '--json']);
    assert.equal(again.code, 0, again.err);
  });
});

/** A separate process holding the file open for writing, as `dbt build` does. */
function startWriter(file: string): Promise<ChildProcess> {
  const script = `const { DuckDBInstance } = require('@duckdb/node-api');
    (async () => { await DuckDBInstance.create(${JSON.stringify(file)}); process.stdout.write('ready\\n'); setInterval(() => {}, 1000); })();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', d => { if (String(d).includes('ready')) resolve(child); });
    child.on('exit', code => reject(new Error(`the writer exited early (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill();
  });
}
