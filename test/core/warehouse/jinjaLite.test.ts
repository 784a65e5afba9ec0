import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JinjaError, bindMacroArgs, extractMacros, render, type JinjaContext, type JinjaValue } from '../../../src/core/warehouse/jinjaLite';

/** A context with a few functions and the project's macros from `macroSrc`. */
function ctx(macroSrc = '', names: Record<string, JinjaValue> = {}): JinjaContext {
  const macros = new Map(extractMacros(macroSrc).map(m => [m.name, m]));
  const make = (scope: Record<string, JinjaValue>): JinjaContext => {
    const c: JinjaContext = {
      lookup: p => {
        const k = p.join('.');
        if (k in scope) return scope[k];
        throw new JinjaError(`unknown ${k}`);
      },
      call: (p, args, kwargs) => {
        const k = p.join('.');
        if (k === 'ref') return `"main"."${String(args[args.length - 1])}"`;
        if (k === 'is_incremental') return false;
        if (k === 'config') return '';
        if (k === 'pair') return `${String(args[0])}|${String(kwargs.b ?? '')}`;
        const m = macros.get(k);
        if (!m) throw new JinjaError(`unsupported ${k}()`);
        return render(m.body, make({ ...names, ...bindMacroArgs(m, args, kwargs, c) }));
      },
    };
    return c;
  };
  return make(names);
}

describe('jinjaLite', () => {
  test('renders calls, literals, keyword arguments and names', () => {
    const out = render(`{{ config(materialized='table') }}select * from {{ ref('orders') }} -- {{ pair("x, y", b=2) }} {{ this }} {{ none }} {{ true }}`, ctx('', { this: '"s"."t"' }));
    assert.equal(out, 'select * from "main"."orders" -- x, y|2 "s"."t" None True');
  });

  test('removes is_incremental blocks and keeps their else branch, skipping unsupported code inside them', () => {
    const src = 'select 1\n{% if is_incremental() %}\n{% set x = 1 %}where a > {{ unknown_thing() }}\n{% else %}where true\n{% endif %}';
    assert.equal(render(src, ctx()), 'select 1\nwhere true\n');
    assert.equal(render('{% if not is_incremental() %}full{% endif %}', ctx()), 'full');
  });

  test('applies whitespace control on both sides of tags', () => {
    assert.equal(render('a  \n  {{- "b" -}}  \n  c', ctx()), 'abc');
    assert.equal(render('x\n{%- if true -%}\n  y\n{%- endif %}', ctx()), 'xy');
  });

  test('extracts macros with defaults and renders them with positional and keyword arguments', () => {
    const src = `{# doc #}
{% macro cents_to_dollars(col, scale=2) %} ({{ col }} / 100)::numeric(16, {{ scale }}) {% endmacro %}
{%- macro wrap(x) -%}
  [{{ cents_to_dollars(x, scale=4) }}]
{%- endmacro %}`;
    const macros = extractMacros(src);
    assert.deepEqual(macros.map(m => [m.name, m.params.map(p => p.name)]), [['cents_to_dollars', ['col', 'scale']], ['wrap', ['x']]]);
    assert.equal(macros[1].body, '[{{ cents_to_dollars(x, scale=4) }}]');
    assert.equal(render(`select {{ cents_to_dollars('amount') }} as a`, ctx(src)), 'select  (amount / 100)::numeric(16, 2)  as a');
    assert.equal(render(`{{ wrap('x.y') }}`, ctx(src)), '[ (x.y / 100)::numeric(16, 4) ]');
  });

  test('reports what it does not support instead of guessing', () => {
    assert.throws(() => render('{% for x in [1, 2] %}{{ x }}{% endfor %}', ctx()), /'\{% for %\}' blocks are not supported/);
    assert.throws(() => render(`{{ dbt_utils.star(ref('a')) }}`, ctx()), /unsupported dbt_utils\.star\(\)/);
    assert.throws(() => render(`{{ 'a' ~ 'b' }}`, ctx()), /operator '~'/);
    assert.throws(() => render(`{{ cents_to_dollars() }}`, ctx('{% macro cents_to_dollars(col) %}{{ col }}{% endmacro %}')), /missing the argument 'col'/);
    assert.throws(() => render('{% if true %}open', ctx()), /without '\{% endif %\}'/);
    assert.throws(() => render('{{ ref("a") ', ctx()), /unterminated/);
  });

  test('keeps raw blocks verbatim and drops comments', () => {
    assert.equal(render('{# c #}{% raw %}{{ not_rendered }}{% endraw %}!', ctx()), '{{ not_rendered }}!');
  });
});
