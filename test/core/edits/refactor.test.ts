import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import { planRenameModel } from '../../../src/core/edits/refactorModel';
import { newPlan, PlanFiles } from '../../../src/core/edits/refactorContext';
import { validateInto } from '../../../src/core/edits/refactorValidate';
import { generateProject, readTree, type GeneratedProject } from './refactor-project';

function engineFor(dir: string): EditEngine {
  const loader = new WorkspaceLoader(dir, { noHistory: true });
  return { snapshot: () => loader.load() };
}

/** Applies a plan to the files on disk (as the extension would after approval). */
function applyToDisk(dir: string, plan: EditPlan): void {
  const texts = readTree(dir);
  const r = applyChanges(texts, plan.changes);
  assert.deepEqual(r.problems, []);
  for (const [p, t] of r.files) {
    if (t === null) fs.rmSync(path.join(dir, p));
    else fs.writeFileSync(path.join(dir, p), t);
  }
}

function editCount(plan: EditPlan): number {
  return plan.changes.reduce((n, c) => n + (c.kind === 'modify' ? c.edits.length : 0), 0);
}

describe('rename a model across a generated project with many refs', () => {
  let gen: GeneratedProject;
  before(() => { gen = generateProject(); });
  after(() => gen.cleanup());

  test('the generated project is what the test needs: ~60 models, 150+ refs, all resolving', async () => {
    const snap = await engineFor(gen.dir).snapshot();
    const models = snap.graph.nodes().filter(n => n.resourceType === 'model');
    assert.ok(models.length >= 60, `models ${models.length}`);
    assert.ok(gen.sqlRefs >= 150, `refs ${gen.sqlRefs}`);
    assert.deepEqual(snap.graph.unresolved(), []);
  });

  test('renaming stg_0 edits exactly its live references; every ref resolves and nothing else changed', async () => {
    const beforeTree = readTree(gen.dir);
    const beforeSnap = await engineFor(gen.dir).snapshot();
    const parentsBefore = new Map(beforeSnap.graph.nodes().filter(n => n.resourceType !== 'test')
      .map(n => [n.uniqueId, beforeSnap.graph.upstream(n.uniqueId).map(h => h.node.uniqueId).sort()]));

    const plan = await planRenameModel(engineFor(gen.dir), 'stg_0', 'stg_base_zz');
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.changes.filter(c => c.kind === 'rename'),
      [{ kind: 'rename', path: 'models/staging/stg_0.sql', newPath: 'models/staging/stg_base_zz.sql' }]);
    // planted live refs + the dbt_project.yml config key
    assert.equal(editCount(plan), gen.planted.get('stg_0')! + 1);

    applyToDisk(gen.dir, plan);
    const afterTree = readTree(gen.dir);
    const snap = await engineFor(gen.dir).snapshot();
    assert.deepEqual(snap.graph.unresolved(), []);
    assert.ok(snap.graph.get('model.gen.stg_base_zz'));
    assert.equal(snap.graph.get('model.gen.stg_0'), undefined);

    // Lineage is the same graph with the node renamed.
    const rename = (id: string) => (id === 'model.gen.stg_0' ? 'model.gen.stg_base_zz' : id);
    for (const [id, parents] of parentsBefore) {
      if (id.startsWith('test.')) continue;
      const now = snap.graph.upstream(rename(id)).map(h => h.node.uniqueId).sort();
      assert.deepEqual(now, parents.map(rename).sort(), `parents of ${id}`);
    }
    // Nothing but the name changed: undoing the substitution gives every file back byte for byte.
    assert.deepEqual([...afterTree.keys()].map(k => k.replace('stg_base_zz', 'stg_0')).sort(), [...beforeTree.keys()].sort());
    for (const [p, text] of afterTree) {
      assert.equal(text.replaceAll('stg_base_zz', 'stg_0'), beforeTree.get(p.replace('stg_base_zz', 'stg_0')), p);
    }
    // Prose, comments and Jinja comments are left alone.
    assert.equal(afterTree.get('models/docs.md'), beforeTree.get('models/docs.md'));
    assert.match(afterTree.get('models/schema.yml')!, /Mentions ref\('stg_0'\) in prose/);
    assert.match(afterTree.get('models/schema.yml')!, /- name: stg_base_zz {2}# the base model/);
    assert.match(afterTree.get('dbt_project.yml')!, /stg_base_zz:\n {8}\+tags: \["base"\] {2}# the busiest model/);
    assert.ok([...afterTree.values()].some(t => t.includes('-- built on stg_0 (a comment')));
    assert.ok([...afterTree.values()].some(t => t.includes("{# ref('stg_0') in a Jinja comment")));
    assert.match(afterTree.get('models/marts/py_model.py')!, /# dbt\.ref\('stg_2'\)[^\n]*\n {4}df = dbt\.ref\("stg_base_zz"\)/);
  });

  test('a versioned model: both version files and every v= / version= ref follow', async () => {
    const plan = await planRenameModel(engineFor(gen.dir), 'dim_ver', 'dim_versioned');
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.changes.filter(c => c.kind === 'rename').map(c => c.kind === 'rename' && c.newPath).sort(),
      ['models/marts/dim_versioned_v1.sql', 'models/marts/dim_versioned_v2.sql']);
    assert.equal(editCount(plan), gen.planted.get('dim_ver'));
    applyToDisk(gen.dir, plan);
    const snap = await engineFor(gen.dir).snapshot();
    assert.deepEqual(snap.graph.unresolved(), []);
    const v1 = snap.graph.upstream('model.gen.ver_user_1').map(h => h.node.name);
    assert.deepEqual(v1, ['dim_versioned_v1']);
  });

  test('validation catches a plan that would break refs elsewhere (a bare file rename)', async () => {
    const snap = await engineFor(gen.dir).snapshot();
    const plan = newPlan('rename the file only');
    plan.changes.push({ kind: 'rename', path: 'models/intermediate/int_3.sql', newPath: 'models/intermediate/int_three.sql' });
    await validateInto(snap, plan, new PlanFiles(snap.root));
    const children = snap.graph.downstream('model.gen.int_3').filter(h => h.node.resourceType === 'model');
    assert.ok(children.length > 0);
    const broken = plan.problems.filter(p => p.severity === 'error' && /ref\((?:'gen', )?'int_3'\)/.test(p.message));
    assert.deepEqual([...new Set(broken.map(p => p.path))].sort(), children.map(h => h.node.location!.path).sort());
  });

  test('bad requests are refused with a reason and no changes', async () => {
    const e = engineFor(gen.dir);
    const taken = await planRenameModel(e, 'mart_2', 'mart_3');
    assert.equal(taken.changes.length, 0);
    assert.match(taken.problems[0].message, /already exists/);
    const invalid = await planRenameModel(e, 'mart_2', 'mart 2!');
    assert.match(invalid.problems[0].message, /not a valid model name/);
    const missing = await planRenameModel(e, 'no_such_model', 'x');
    assert.match(missing.problems[0].message, /No model named/);
  });

  test('plans are made against the unsaved editor text when a ReadFile is given', async () => {
    const e = engineFor(gen.dir);
    const rel = 'models/marts/mart_5.sql';
    const unsaved = `select id from {{ ref('mart_4') }}\n`;
    const plan = await planRenameModel(e, 'mart_4', 'mart_four', {
      readFile: async p => (p === rel ? unsaved : fs.promises.readFile(path.join(gen.dir, p), 'utf8').catch(() => undefined)),
    });
    const change = plan.changes.find(c => c.path === rel);
    assert.ok(change && change.kind === 'modify');
    assert.equal(change.before, unsaved);
  });
});
