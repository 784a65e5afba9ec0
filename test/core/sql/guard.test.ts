// The read-only guard: every attack refused with a reason naming what was found, every tricky valid query
// accepted, in both dialects; limit wrapping that survives trailing comments and semicolons (run on DuckDB).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { checkReadOnly, wrapLimit, type StatementKind } from '../../../src/core/sql/guard';
import type { SqlDialect } from '../../../src/core/sql/tokenize';

type Dialects = SqlDialect | 'both';
const BOTH: SqlDialect[] = ['duckdb', 'snowflake'];
const dialectsOf = (d: Dialects): SqlDialect[] => (d === 'both' ? BOTH : [d]);

/** [sql, dialects, what the reason must name]. */
const ATTACKS: [string, Dialects, RegExp][] = [
  // several statements, hidden writes
  ['select 1; delete from t', 'both', /2 statements.*`delete`/],
  ['select 1 -- harmless\n; drop table t', 'both', /2 statements.*`drop`/],
  ['select 1;;; select 2', 'both', /2 statements.*`select`/],
  ['/* select 1 */ delete from t', 'both', /`DELETE` changes data/],
  ['-- read only, promise\ninsert into t values (1)', 'both', /`INSERT` changes data/],
  ['with x as (delete from t returning *) select * from x', 'both', /DELETE/],
  ['with x as (select 1 as a) insert into t select * from x', 'both', /INSERT/],
  ['update t set a = 1', 'both', /`UPDATE` changes data/],
  ['drop table t', 'both', /`DROP` changes the schema/],
  ['alter table t add column b int', 'both', /`ALTER`/],
  ['truncate table t', 'both', /`TRUNCATE` changes data/],
  ['merge into t using s on t.id = s.id when matched then delete', 'both', /`MERGE` changes data/],
  ['select * into t2 from t', 'both', /INTO/],
  ['create temp table x as select 1', 'both', /`CREATE TEMP`/],
  ['create table x as select 1', 'both', /`CREATE` changes the schema/],
  // files, databases, extensions, settings, procedures, transactions
  ["copy t to '/tmp/leak.csv'", 'both', /`COPY` reads or writes files/],
  ["copy into @stage from t", 'snowflake', /`COPY`/],
  ["attach '/tmp/other.duckdb' as o", 'both', /`ATTACH`/],
  ['detach wh', 'both', /`DETACH`/],
  ['install httpfs', 'both', /`INSTALL` installs or loads extensions/],
  ['load httpfs', 'both', /`LOAD`/],
  ['force install httpfs', 'duckdb', /`FORCE`/],
  ['pragma enable_profiling', 'both', /`PRAGMA` changes settings/],
  ['call pragma_version()', 'both', /`CALL` runs procedures/],
  ['set threads = 1', 'both', /`SET` changes settings/],
  ['set variable x = 1', 'duckdb', /`SET`/],
  ['reset threads', 'both', /`RESET`/],
  ["export database '/tmp/dump'", 'both', /`EXPORT` reads or writes files/],
  ["import database '/tmp/dump'", 'both', /`IMPORT`/],
  ['begin transaction', 'both', /`BEGIN` controls transactions/],
  ['commit', 'both', /`COMMIT`/],
  ['rollback', 'both', /`ROLLBACK`/],
  ['checkpoint', 'duckdb', /`CHECKPOINT`/],
  ['vacuum', 'duckdb', /`VACUUM`/],
  ['explain analyze delete from t', 'duckdb', /EXPLAIN is allowed only for a query, not for `delete`/],
  ['explain delete from t', 'snowflake', /EXPLAIN is allowed only for a query, not for `delete`/],
  // DuckDB file and network readers, SQL-text runners, leaks
  ["select * from read_csv('/etc/passwd')", 'duckdb', /`read_csv`/],
  ["select * from read_csv_auto('/etc/passwd')", 'duckdb', /`read_csv_auto`/],
  ["select * from read_parquet('x.parquet')", 'duckdb', /`read_parquet`/],
  ["select * from read_json_auto('x.json')", 'duckdb', /`read_json_auto`/],
  ["select * from read_text('/etc/passwd')", 'duckdb', /`read_text`/],
  ["select * from read_blob('/etc/passwd')", 'duckdb', /`read_blob`/],
  ["select * from glob('/etc/*')", 'duckdb', /`glob`/],
  ["select * from parquet_scan('x.parquet')", 'duckdb', /`parquet_scan`/],
  ["select * from sniff_csv('/etc/passwd')", 'duckdb', /`sniff_csv`/],
  ["select * from query('drop table t')", 'duckdb', /`query`/],
  ["select * from query_table('t')", 'duckdb', /`query_table`/],
  ["select * from iceberg_scan('s3://b/t')", 'duckdb', /`iceberg_scan`/],
  ["select * from delta_scan('s3://b/t')", 'duckdb', /`delta_scan`/],
  ["select * from sqlite_scan('x.db', 't')", 'duckdb', /`sqlite_scan`/],
  ["select * from '/etc/passwd'", 'duckdb', /`\/etc\/passwd` in FROM looks like a file/],
  ["from 'data.csv'", 'duckdb', /`data.csv` in FROM looks like a file/],
  ["select * from 's3://bucket/x.parquet'", 'duckdb', /looks like a file/],
  ["select getenv('OPENAI_API_KEY')", 'duckdb', /`getenv` reads environment variables/],
  ["select current_setting('s3_secret_access_key')", 'duckdb', /`current_setting`/],
  ['select * from duckdb_settings()', 'duckdb', /`duckdb_settings`/],
  ['select * from duckdb_secrets()', 'duckdb', /`duckdb_secrets`/],
  ["select * from pragma_table_info('t')", 'duckdb', /`pragma_table_info`/],
  ["select nextval('seq')", 'duckdb', /`nextval`/],
  ["describe select * from read_csv('/etc/passwd')", 'duckdb', /`read_csv`/],
  ["summarize select * from read_csv('/etc/passwd')", 'duckdb', /`read_csv`/],
  ["explain select * from read_text('/etc/passwd')", 'duckdb', /`read_text`/],
  ["select * from t where a in (select * from read_csv('/etc/passwd'))", 'duckdb', /`read_csv`/],
  ["with x as (select * from read_parquet('x.parquet')) select * from x", 'duckdb', /`read_parquet`/],
  ["select length(content) from read_text('/etc/passwd')", 'duckdb', /`read_text`/],
  // Snowflake: stages, sessions, scripting, system functions
  ['put file:///etc/passwd @~', 'snowflake', /`PUT` reads or writes files/],
  ['get @~/x file:///tmp', 'snowflake', /`GET` reads or writes files/],
  ['remove @~/x', 'snowflake', /`REMOVE`/],
  ['use database prod', 'snowflake', /`USE`/],
  ['use role accountadmin', 'snowflake', /`USE`/],
  ["alter session set query_tag = 'x'", 'snowflake', /`ALTER SESSION` changes session settings/],
  ["execute immediate 'drop table t'", 'snowflake', /`EXECUTE IMMEDIATE`/],
  ['call my_proc()', 'snowflake', /`CALL`/],
  ['undrop table t', 'snowflake', /`UNDROP`/],
  ['grant role r to user u', 'snowflake', /`GRANT`/],
  ['begin drop table t; end', 'snowflake', /statements|`BEGIN`/],
  ['select $1 from @my_stage/data.csv', 'snowflake', /`@my_stage` refers to a stage/],
  ["select * from table(infer_schema(location => '@s', file_format => 'f'))", 'snowflake', /`INFER_SCHEMA` reads or exposes staged files/],
  ['select system$cancel_all_queries(1)', 'snowflake', /`SYSTEM\$CANCEL_ALL_QUERIES`/],
  ['with p as procedure () returns int language sql as $$ begin drop table t; return 1; end $$ call p()', 'snowflake', /`PROCEDURE`|`CALL`/],
  ['show tables ->> delete from t', 'snowflake', /2 statements/],
  ["select 'a\\'; delete from t; --'", 'snowflake', /if backslashes did not escape quotes.*2 statements/],
  ['select 1 /* /* */ ; drop table t; -- */', 'snowflake', /2 statements.*`drop`/],
  ['select * from t where (a = 1', 'snowflake', /never closed/],
  // nothing to run, or text that does not tokenize
  ['', 'both', /no SQL statement/],
  ['-- only a comment\n/* and another */ ;', 'both', /no SQL statement/],
  ["select 'unterminated", 'both', /string starting at line 1, column 8 is never closed/],
  ['select 1 /* unterminated', 'both', /comment starting at line 1, column 10 is never closed/],
];

/** [sql, dialects, expected kind]. */
const VALID: [string, Dialects, StatementKind][] = [
  ["select 'drop table x; --' as s", 'both', 'select'],
  ["select 'it''s; delete from t' as s", 'both', 'select'],
  ['select 1 as "delete", 2 as "select"', 'both', 'select'],
  ['select "select", "from" from (select 1 as "select", 2 as "from") t', 'both', 'select'],
  ['with a as (select 1 as x), b as (select x + 1 as y from a) select * from b', 'both', 'select'],
  ['with recursive r(n) as (select 1 union all select n + 1 from r where n < 3) select * from r', 'duckdb', 'select'],
  ['select customer_id, sum(amount) over (partition by customer_id order by ordered_at rows between unbounded preceding and current row) as running from orders', 'both', 'select'],
  ['select * from orders qualify row_number() over (partition by customer_id order by ordered_at desc) = 1', 'both', 'select'],
  ['select a from t union all select b from u order by 1', 'both', 'select'],
  ['(select 1) union (select 2)', 'both', 'select'],
  ['-- leading comment\nselect 1 /* inline */ -- trailing\n;', 'both', 'select'],
  ['/* multi\nline */ select 1;;', 'both', 'select'],
  ['select 1;', 'both', 'select'],
  ['select 1 -- ; drop table t', 'both', 'select'],
  ["select $$it's ; drop table t$$ as s", 'both', 'select'],
  ['show tables', 'both', 'show'],
  ['describe marts.fct_orders', 'duckdb', 'describe'],
  ['describe table marts.fct_orders', 'snowflake', 'describe'],
  ['desc view v', 'snowflake', 'describe'],
  ['summarize marts.fct_orders', 'duckdb', 'describe'],
  ['explain select 1', 'both', 'explain'],
  ['explain using tabular select * from t', 'snowflake', 'explain'],
  // DuckDB syntax
  ['from marts.fct_orders select order_id limit 5', 'duckdb', 'select'],
  ['select * from range(10)', 'duckdb', 'select'],
  ['select unnest([1, 2])', 'duckdb', 'select'],
  ["select e'it\\'s; drop' as s", 'duckdb', 'select'],
  ["select {'a': 1}.a, [1, 2][1], list_transform([1, 2], x -> x * 2)", 'duckdb', 'select'],
  ['select * from duckdb_tables()', 'duckdb', 'select'],
  ["select x ->> '$.a' from (select '{\"a\": 1}'::json as x)", 'duckdb', 'select'],
  ['select 10 // 3', 'duckdb', 'select'],
  ['select * from t /* a /* nested */ ; comment */', 'duckdb', 'select'],
  // Snowflake syntax
  ['select v:customer.name::string as name, f.value:sku::string as sku from raw.events e, lateral flatten(input => e.v:items) f', 'snowflake', 'select'],
  ["select get(v, 'a'), insert('abc', 1, 1, 'z'), truncate(1.55, 1) from t", 'snowflake', 'select'],
  ["select iff(a > 1, 'x', 'y'), try_cast(a as int), a::number(10, 2) from t", 'snowflake', 'select'],
  ['select * from t sample (10)', 'snowflake', 'select'],
  ['select * from t at(offset => -60)', 'snowflake', 'select'],
  ['select * exclude (a) rename (b as c) from t', 'snowflake', 'select'],
  ['select t.update, t.delete, v:set from t', 'snowflake', 'select'],
  ['select * from table(result_scan(last_query_id()))', 'snowflake', 'select'],
  ['select system$typeof(1)', 'snowflake', 'select'],
  ['select 1 // a Snowflake comment; drop table t', 'snowflake', 'select'],
];

describe('checkReadOnly refuses every attack with a reason naming what it found', () => {
  for (const [sql, d, why] of ATTACKS) {
    for (const dialect of dialectsOf(d)) {
      test(`${dialect}: ${JSON.stringify(sql)}`, async () => {
        const r = await checkReadOnly(sql, dialect);
        assert.equal(r.ok, false, `accepted: ${JSON.stringify(r)}`);
        if (!r.ok) {
          assert.match(r.reason, why);
          assert.match(r.reason, /^Refused: .*Only one SELECT/s);
        }
      });
    }
  }
});

describe('checkReadOnly accepts tricky valid queries', () => {
  for (const [sql, d, kind] of VALID) {
    for (const dialect of dialectsOf(d)) {
      test(`${dialect}: ${JSON.stringify(sql)}`, async () => {
        const r = await checkReadOnly(sql, dialect);
        assert.ok(r.ok, `refused: ${JSON.stringify(r)}`);
        if (r.ok) {
          assert.equal(r.kind, kind);
          assert.ok(!/;\s*$/.test(r.statement) && r.statement === r.statement.trim(), `statement keeps a trailing ; or blank: ${JSON.stringify(r.statement)}`);
          assert.ok(!r.statement.startsWith('--') && !r.statement.startsWith('/*'));
        }
      });
    }
  }
});

describe('which parser accepted', () => {
  test('DuckDB statements are always accepted by DuckDB\'s parser', async () => {
    const r = await checkReadOnly('select 1', 'duckdb');
    assert.ok(r.ok && r.parsedBy === 'duckdb');
  });
  test('Snowflake: node-sql-parser where its grammar reaches, the tokenizer proof beyond it', async () => {
    const parsed = await checkReadOnly('select a, sum(b) from t group by a qualify rank() over (order by a) = 1', 'snowflake');
    assert.ok(parsed.ok && parsed.parsedBy === 'node-sql-parser', JSON.stringify(parsed));
    const beyond = await checkReadOnly('select * from t sample (10)', 'snowflake');
    assert.ok(beyond.ok && beyond.parsedBy === 'tokenizer', JSON.stringify(beyond));
  });
  test('the statement returned is the one statement without the comments around it', async () => {
    const r = await checkReadOnly('-- why\n  select 1 as a -- one\n ; -- done', 'duckdb');
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.statement, 'select 1 as a');
  });
});

describe('wrapLimit', () => {
  test('wraps, dropping trailing comments and semicolons, and the result runs on DuckDB', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    try {
      for (const sql of ['select * from range(10) t(n) -- trailing comment', 'select * from range(10) t(n);; /* c */ ;', 'select * from range(10) t(n) order by n -- ) limit 1000']) {
        const wrapped = wrapLimit(sql, 3);
        assert.match(wrapped, /^select \* from \(\n[\s\S]*\n\) limit 3$/);
        assert.ok(!wrapped.includes('trailing comment') && !wrapped.includes('/* c */'), wrapped);
        const rows = (await c.runAndReadAll(wrapped)).getRows();
        assert.deepEqual(rows.map(r => Number(r[0])), [0, 1, 2]);
      }
    } finally {
      c.closeSync();
      db.closeSync();
    }
  });

  test('a comment inside the statement cannot swallow the closing parenthesis', () => {
    const wrapped = wrapLimit('select 1 -- note\nfrom t', 5);
    assert.equal(wrapped, 'select * from (\nselect 1 -- note\nfrom t\n) limit 5');
  });

  test('SHOW / DESCRIBE / EXPLAIN come back unwrapped, without trailing comments', () => {
    assert.equal(wrapLimit('show tables; -- all', 5), 'show tables');
    assert.equal(wrapLimit('describe t', 5), 'describe t');
    assert.equal(wrapLimit('explain select 1', 5), 'explain select 1');
    assert.equal(wrapLimit('desc table t // c', 5, 'snowflake'), 'desc table t');
  });

  test('Snowflake // comments are stripped; more than one statement is an error', () => {
    assert.equal(wrapLimit('select 1 // c', 2, 'snowflake'), 'select * from (\nselect 1\n) limit 2');
    assert.throws(() => wrapLimit('select 1; select 2', 2), /one statement/);
  });
});
