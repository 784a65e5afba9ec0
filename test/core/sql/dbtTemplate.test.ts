// dbt templates are not runnable SQL: every model file of the example is recognised as one, plain SQL is not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dbtTemplateProblem } from '../../../src/core/sql/dbtTemplate';

const EXAMPLE = path.resolve(__dirname, '../../../examples/shopwise');

function sqlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? sqlFiles(path.join(dir, e.name))
    : e.name.endsWith('.sql') ? [path.join(dir, e.name)] : []);
}

describe('dbt template check', () => {
  test('every model of the example that uses Jinja is refused with where the runnable SQL is', () => {
    const files = sqlFiles(path.join(EXAMPLE, 'models')).filter(f => /\{\{|\{%/.test(fs.readFileSync(f, 'utf8')));
    assert.ok(files.length > 10, `only ${files.length} templated models`);
    for (const f of files) assert.match(dbtTemplateProblem(fs.readFileSync(f, 'utf8')) ?? '', /dbt Jinja .* target\/compiled\//, f);
  });

  test('statement tags and Jinja comments count; plain SQL, braces in JSON paths and comments do not', () => {
    assert.ok(dbtTemplateProblem('{% if target.name == "prod" %}select 1{% endif %}'));
    assert.ok(dbtTemplateProblem('select 1 {# a dbt comment #}'));
    for (const plain of ['select 1', "select payload->'$.a{b}' from t -- {not jinja}", 'select {a: 1} as struct_literal', '/* { % } */ select 2']) {
      assert.equal(dbtTemplateProblem(plain), undefined, plain);
    }
  });
});
