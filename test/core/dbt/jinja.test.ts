import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { depsOfTags, parseRefString } from '../../../src/core/dbt/calls';
import { findCalls, scanJinja } from '../../../src/core/dbt/jinja';
import { parseCallArgs, parseLiteral } from '../../../src/core/dbt/literal';
import { analyzePython } from '../../../src/core/dbt/python';
import { findCtes } from '../../../src/core/dbt/sql';

const deps = (sql: string) => depsOfTags(scanJinja(sql).tags);

describe('literal arguments', () => {
  test('parses Python/Jinja literals and keeps anything else as raw text', () => {
    assert.deepEqual(parseLiteral(`'a'`), { ok: true, value: 'a' });
    assert.deepEqual(parseLiteral(`"it\\'s"`), { ok: true, value: "it's" });
    assert.deepEqual(parseLiteral('-2.5'), { ok: true, value: -2.5 });
    assert.deepEqual(parseLiteral('True'), { ok: true, value: true });
    assert.deepEqual(parseLiteral('false'), { ok: true, value: false });
    assert.deepEqual(parseLiteral('none'), { ok: true, value: null });
    assert.deepEqual(parseLiteral(`['a', "b", 3,]`), { ok: true, value: ['a', 'b', 3] });
    assert.deepEqual(parseLiteral(`('a', 'b')`), { ok: true, value: ['a', 'b'] });
    assert.deepEqual(parseLiteral(`{'field': 'd', "n": {'x': [1]}}`), { ok: true, value: { field: 'd', n: { x: [1] } } });
    assert.equal(parseLiteral(`var('x')`).ok, false);
    assert.equal(parseLiteral(`'a' ~ 'b'`).ok, false);
    assert.equal(parseLiteral(`'unterminated`).ok, false);
  });

  test('splits positional and keyword arguments, nested brackets and strings included', () => {
    const src = `f('a, b', key=[1, 2], other={'k': ')'}, raw=var("v"))`;
    const r = parseCallArgs(src, 1)!;
    assert.equal(r.end, src.length);
    assert.deepEqual(r.args.positional.map(p => p.literal && p.value), ['a, b']);
    assert.deepEqual(r.args.kwargs.key, { literal: true, value: [1, 2], text: '[1, 2]' });
    assert.deepEqual(r.args.kwargs.other, { literal: true, value: { k: ')' }, text: `{'k': ')'}` });
    assert.deepEqual(r.args.kwargs.raw, { literal: false, text: 'var("v")' });
    assert.equal(parseCallArgs('f(1, 2', 1), undefined);
  });
});

describe('ref, source and config calls', () => {
  test('ref() in every form', () => {
    const d = deps(`
      {{ ref('a') }} {{ ref("b") }} {{ ref('pkg', 'c') }} {{ ref('d', v=2) }} {{ ref('e', version='3') }}
      {{ ref(
           'f'
         ) }} {{ref('g')}} {{- ref('h') -}} {{ ref(var('dynamic_model')) }}`);
    assert.deepEqual(d.refs, [
      { name: 'a' }, { name: 'b' }, { package: 'pkg', name: 'c' }, { name: 'd', version: '2' },
      { name: 'e', version: '3' }, { name: 'f' }, { name: 'g' }, { name: 'h' },
    ]);
    assert.deepEqual(d.dynamic, [`ref(var('dynamic_model'))`]);
  });

  test('source() and duplicate calls are listed once', () => {
    const d = deps(`{{ source('raw', 'orders') }} {{ source("raw", "orders") }} {{ source('raw', 'items') }}`);
    assert.deepEqual(d.sources, [{ source: 'raw', table: 'orders' }, { source: 'raw', table: 'items' }]);
  });

  test('config() kwargs become plain values; unparseable values stay as text; later calls win', () => {
    const d = deps(`{{ config(materialized='table', unique_key=['a', 'b'], tags='x', enabled=False,
        partition_by={'field': 'd'}, post_hook=var('hook')) }}
      {{ config(materialized="incremental") }}`);
    assert.deepEqual(d.config, {
      materialized: 'incremental', unique_key: ['a', 'b'], tags: 'x', enabled: false,
      partition_by: { field: 'd' }, post_hook: `var('hook')`,
    });
  });

  test('parseRefString reads YAML strings with or without braces', () => {
    assert.deepEqual(parseRefString(`ref('orders')`), { ref: { name: 'orders' } });
    assert.deepEqual(parseRefString(`{{ source('a', 'b') }}`), { source: { source: 'a', table: 'b' } });
    assert.deepEqual(parseRefString(`metric('m')`), { metric: 'm' });
    assert.deepEqual(parseRefString('not a call'), {});
  });
});

describe('macro calls', () => {
  test('user and package macros count; Jinja builtins, dbt context, filters, tests and methods do not', () => {
    const d = deps(`
      {% set cols = [] %}{% do cols.append('x') %}
      {% set methods = get_methods() %}
      {% for m in methods %}{{ m | replace('a', 'b') }}{% endfor %}
      {% call my_call_macro('a') %}body{% endcall %}
      {{ dbt_utils.star(from=ref('x'), except=['a']) }} {{ cents_to_dollars('amount') }} {{ dbt.date_trunc('day', 'd') }}
      {{ var('v') }} {{ env_var('E') }} {{ log('x', info=True) }} {{ adapter.dispatch('m')() }} {{ run_query('select 1') }}
      {{ return(1) }} {{ range(3) }} {{ "x".upper() }} {{ ref('y').include(database=False) }}
      {% if x is divisibleby(3) %}{% endif %} {{ this }} {{ is_incremental() }} {{ exceptions.raise_compiler_error('e') }}
      {{ "literal_macro_name()" }}`);
    assert.deepEqual(d.macros, ['get_methods', 'my_call_macro', 'dbt_utils.star', 'cents_to_dollars', 'dbt.date_trunc']);
    assert.equal(d.isIncremental, true);
  });

  test('findCalls skips calls written inside strings and keeps nested calls', () => {
    assert.deepEqual(findCalls(`outer(inner('x'), "fake(1)")`).map(c => c.name), ['outer', 'inner']);
  });
});

describe('comments, raw blocks and malformed Jinja', () => {
  test('Jinja comments hide refs; raw blocks are plain text; Jinja inside SQL comments is live', () => {
    const d = deps(`
      {# {{ ref('in_comment') }} #}
      {% raw %}{{ ref('in_raw') }}{% endraw %}
      -- {{ ref('in_sql_comment') }}
      -- ref('plain_text')
      select 1`);
    assert.deepEqual(d.refs, [{ name: 'in_sql_comment' }]);
  });

  test('an unclosed {{ is reported with its line and later tags still count', () => {
    const scan = scanJinja(`select 1\nfrom {{ ref('a')\njoin {{ ref('b') }}\nwhere coalesce(x) > 0`);
    assert.deepEqual(scan.problems.map(p => p.line), [2]);
    assert.match(scan.problems[0].message, /never closed/);
    const d = depsOfTags(scan.tags);
    assert.deepEqual(d.refs, [{ name: 'a' }, { name: 'b' }]);
    assert.deepEqual(d.macros, []);
  });

  test('unclosed {% and unbalanced blocks are reported with lines', () => {
    assert.deepEqual(scanJinja(`a\n{% if x\nb`).problems.map(p => p.line), [2]);
    const blocks = scanJinja(`{% if a %}\n{% for x in y %}\n{% endif %}\n{% endfor %}`);
    assert.deepEqual(blocks.problems.map(p => p.line), [2, 4]);
    const comment = scanJinja(`x\n{# open`);
    assert.deepEqual(comment.problems.map(p => p.line), [2]);
    const raw = scanJinja(`{% raw %}\n{{ x }}`);
    assert.deepEqual(raw.problems.map(p => p.line), [1]);
  });

  test('tags know their lines; the blanked SQL keeps offsets and line breaks', () => {
    const text = `select\n  {{ ref('a') }}\n{% if x %}\n1\n{% endif %}`;
    const scan = scanJinja(text);
    assert.deepEqual(scan.tags.map(t => [t.kind, t.line, t.keyword]), [['expr', 2, undefined], ['stmt', 3, 'if'], ['stmt', 5, 'endif']]);
    assert.equal(scan.sql.length, text.length);
    assert.equal(scan.sql.split('\n').length, text.split('\n').length);
    assert.equal(scan.blocks[0].close?.line, 5);
  });
});

describe('CTEs', () => {
  test('with / recursive / column lists / quoted names / materialized hints, case-insensitive', () => {
    const sql = `WITH RECURSIVE a AS (select 1), "B b"(x, y) as materialized (select '(' from t), c as not materialized (select 1)
      -- with fake as (select 1)
      select * from a`;
    assert.deepEqual(findCtes(sql), ['a', 'B b', 'c']);
  });

  test('nested WITH inside a CTE and no false positives', () => {
    assert.deepEqual(findCtes(`with outer_cte as (with inner_cte as (select 1) select * from inner_cte) select 1`), ['outer_cte', 'inner_cte']);
    assert.deepEqual(findCtes(`select timestamp with time zone '2020-01-01', 'with x as (' as s`), []);
  });
});

describe('Python models', () => {
  test('dbt.ref/source/config count; comments, docstrings and strings do not', () => {
    const d = analyzePython(`"""Doc: dbt.ref('doc_ghost')"""
def model(dbt, session):
    dbt.config(materialized="table", packages=["pandas"])
    # dbt.ref('comment_ghost')
    a = dbt.ref("a")
    b = dbt.ref('pkg', 'b', v=2)
    s = dbt.source('raw', 'orders')
    text = "dbt.ref('string_ghost')"
    return a
`);
    assert.deepEqual(d.refs, [{ name: 'a' }, { package: 'pkg', name: 'b', version: '2' }]);
    assert.deepEqual(d.sources, [{ source: 'raw', table: 'orders' }]);
    assert.deepEqual(d.config, { materialized: 'table', packages: ['pandas'] });
    assert.equal(d.hasModelFunction, true);
  });

  test('the first parameter of model() is the dbt object, whatever its name', () => {
    const d = analyzePython(`def model(ctx, session):\n    return ctx.ref('x')\n`);
    assert.deepEqual(d.refs, [{ name: 'x' }]);
  });
});
