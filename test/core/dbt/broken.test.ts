// Bad input never stops the parse: each broken file is a problem with file and line, the rest is read.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { DbtNode, ParsedProject } from '../../../src/core/types';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseProjectFiles } from '../../../src/core/dbt/parse';

const WS = path.join(__dirname, '..', '..', 'fixtures', 'dbt', 'broken');
let project: ParsedProject;
const node = (id: string): DbtNode => {
  const n = project.nodes.find(x => x.uniqueId === id);
  assert.ok(n, `${id} should exist`);
  return n;
};
const problemsOf = (file: string) => project.problems.filter(p => p.path === file).map(p => [p.line, p.severity]);

before(async () => {
  const { projects } = await discoverProjects(WS);
  project = await parseProjectFiles(WS, projects[0]);
});

describe('the broken fixture project', () => {
  test('malformed YAML: a problem with the line the yaml package reports, the file skipped, the rest parsed', () => {
    assert.deepEqual(problemsOf('models/bad.yml'), [[8, 'error']]);
    assert.match(project.problems.find(p => p.path === 'models/bad.yml')!.message, /Invalid YAML/);
    assert.equal(node('model.broken_shop.ok_model').description, 'Still parsed although other files are broken.');
    assert.equal(node('model.broken_shop.unclosed_expr').description, undefined);
  });

  test('duplicate keys are accepted as dbt does: the last one wins', () => {
    const n = node('model.broken_shop.dup_keys_model');
    assert.equal(n.description, 'second description wins');
    assert.equal(n.columns[0].description, 'last');
    assert.deepEqual(n.columns[0].tests.map(t => t.name), ['unique']);
    assert.deepEqual(problemsOf('models/dupes.yml'), []);
  });

  test('a non-dbt YAML file is ignored without a problem', () => {
    assert.deepEqual(problemsOf('models/random_config.yml'), []);
  });

  test('malformed Jinja: problem with line, model still emitted with what could be read', () => {
    assert.deepEqual(problemsOf('models/unclosed_expr.sql'), [[1, 'error']]);
    const expr = node('model.broken_shop.unclosed_expr');
    assert.deepEqual(expr.refs, [{ name: 'first_model' }, { name: 'second_model' }]);
    assert.deepEqual(expr.macros, [], 'SQL after an unclosed tag is not read as macro calls');

    assert.deepEqual(problemsOf('models/unclosed_block.sql'), [[2, 'error']]);
    assert.equal(node('model.broken_shop.unclosed_block').isIncremental, true);

    assert.deepEqual(problemsOf('models/unclosed_comment.sql'), [[2, 'error']]);
    assert.deepEqual(node('model.broken_shop.unclosed_comment').refs, [{ name: 'ok_model' }]);
  });

  test('an unclosed macro still becomes a macro node running to the end of the file', () => {
    assert.deepEqual(problemsOf('macros/broken_macro.sql'), [[3, 'error']]);
    const open = node('macro.broken_shop.open_macro');
    assert.deepEqual(open.location, { path: 'macros/broken_macro.sql', startLine: 3, endLine: 4 });
    assert.deepEqual(open.macros, ['fine_macro']);
    assert.deepEqual(node('macro.broken_shop.fine_macro').location, { path: 'macros/broken_macro.sql', startLine: 1, endLine: 1 });
  });

  test('duplicate model names, unclosed docs blocks and empty seeds are reported', () => {
    assert.deepEqual(problemsOf('models/sub/dup_name.sql'), [[1, 'error']]);
    assert.deepEqual(problemsOf('models/docs.md'), [[1, 'error']]);
    assert.deepEqual(project.docBlocks, []);
    assert.deepEqual(problemsOf('seeds/empty.csv'), [[1, 'warning']]);
    assert.deepEqual(node('seed.broken_shop.empty').columns, []);
  });

  test('every problem names a file and says what to do', () => {
    assert.equal(project.problems.length, 8);
    for (const p of project.problems) {
      assert.ok(p.path && p.line && p.line > 0, JSON.stringify(p));
      assert.ok(p.message.length > 30, p.message);
    }
  });
});
