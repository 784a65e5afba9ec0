import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../../support/example';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import type { EditPlan } from '../../../src/core/edits/types';
import { planAirflowDag } from '../../../src/core/edits/airflow';
import { applyChanges } from '../../../src/core/edits/apply';

const STUB = path.resolve(__dirname, '../../fixtures/edits/airflow-stub');
const PYTHON = spawnSync('python3', ['--version']).status === 0 ? 'python3' : undefined;

function engineFor(dir: string): EditEngine {
  const loader = new WorkspaceLoader(dir, { noHistory: true });
  return { snapshot: () => loader.load() };
}

function dagText(plan: EditPlan): string {
  const c = plan.changes[0];
  assert.ok(c?.kind === 'create', 'the plan creates the DAG file');
  return c.text;
}

interface Declared {
  dag_id: string;
  schedule: string | null;
  tasks: [string, string][];
  edges: [string, string][];
}

/** Executes the DAG file with the stand-in airflow package and returns what it declared. */
function execute(file: string): Declared {
  const script = 'import json, runpy, sys\nsys.path.insert(0, sys.argv[1])\nns = runpy.run_path(sys.argv[2])\nd = ns["dag"]\n' +
    'print(json.dumps({"dag_id": d.dag_id, "schedule": d.kwargs.get("schedule"), "tasks": [[t.node_id, t.bash_command] for t in d.tasks], "edges": d.edges}))\n';
  return JSON.parse(execFileSync(PYTHON!, ['-c', script, STUB, file], { encoding: 'utf8', env: { ...process.env, DBT_TARGET: 'prod' } })) as Declared;
}

/** `[a, b] >> c` / `a >> c` lines read back from the file text. */
function parseDependencies(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of text.matchAll(/^ {4}(\[[^\]\n]+\]|\w+) >> (\w+)$/gm)) {
    for (const p of m[1].replace(/^\[|\]$/g, '').split(',').map(s => s.trim())) out.push([p, m[2]]);
  }
  return out;
}

const key = (e: [string, string]) => `${e[0]} -> ${e[1]}`;

describe('Airflow DAG for the example project', () => {
  let ex: ExampleCopy;
  let work: string;
  before(() => {
    ex = copyExample({ history: false });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-airflow-'));
  });
  after(() => {
    ex.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('per-model: valid Python whose task dependencies are exactly the lineage between models, seeds and snapshots', async (t) => {
    const engine = engineFor(ex.dir);
    const plan = await planAirflowDag(engine, { dagsFolder: 'dags', mode: 'per-model' });
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.changes[0].path, 'dags/dbt_shopwise.py');
    const text = dagText(plan);

    const snap = await engine.snapshot();
    const runnable = snap.graph.nodes().filter(n => ['model', 'seed', 'snapshot'].includes(n.resourceType));
    const expected = runnable.flatMap(n => snap.graph.upstream(n.uniqueId, 1).map(h => h.node)
      .filter(p => ['model', 'seed', 'snapshot'].includes(p.resourceType)).map(p => [p.name, n.name] as [string, string]));
    assert.ok(expected.length >= 20);

    const fromText = parseDependencies(text).map(([a, b]) => [a.replace(/^t_/, ''), b.replace(/^t_/, '')] as [string, string]);
    assert.deepEqual(fromText.map(key).sort(), expected.map(key).sort());
    for (const n of runnable) assert.match(text, new RegExp(`task_id="${n.name}",\\n {8}bash_command=dbt\\("build --select ${n.name}"\\)`));

    if (!PYTHON) return t.skip('python3 is not installed');
    const file = path.join(work, 'dbt_shopwise.py');
    fs.writeFileSync(file, text);
    execFileSync(PYTHON, ['-m', 'py_compile', file]);
    const declared = execute(file);
    assert.equal(declared.dag_id, 'dbt_shopwise');
    assert.equal(declared.schedule, '@daily');
    assert.deepEqual(declared.tasks.map(x => x[0]).sort(), runnable.map(n => n.name).sort());
    assert.deepEqual(declared.edges.map(key).sort(), expected.map(key).sort());
    const fct = declared.tasks.find(x => x[0] === 'fct_orders')![1];
    assert.equal(fct, `cd ${ex.dir} && dbt build --select fct_orders --profiles-dir ${ex.dir} --target prod`);
  });

  test('deterministic: the same project gives the same bytes, and an up-to-date file needs no change', async () => {
    const engine = engineFor(ex.dir);
    const opts = { dagsFolder: 'dags', mode: 'per-model' as const, schedule: '0 6 * * *' };
    const a = dagText(await planAirflowDag(engine, opts));
    const b = dagText(await planAirflowDag(engine, opts));
    assert.equal(a, b);
    fs.mkdirSync(path.join(ex.dir, 'dags'));
    fs.writeFileSync(path.join(ex.dir, 'dags/dbt_shopwise.py'), a);
    const again = await planAirflowDag(engine, opts);
    assert.deepEqual(again.changes, []);
    assert.match(again.explanation, /already up to date/);
    // A new model changes the file by a minimal edit of the existing text.
    fs.writeFileSync(path.join(ex.dir, 'models/marts/finance/refund_summary.sql'), "select * from {{ ref('fct_orders') }}\n");
    const changed = await planAirflowDag(engine, opts);
    const c = changed.changes[0];
    assert.ok(c.kind === 'modify');
    const r = applyChanges(new Map([[c.path, a]]), changed.changes);
    assert.match(r.files.get(c.path)!, /t_fct_orders >> t_refund_summary/);
    fs.rmSync(path.join(ex.dir, 'models/marts/finance/refund_summary.sql'));
    fs.rmSync(path.join(ex.dir, 'dags'), { recursive: true });
  });

  test('selector groups by folder: one TaskGroup per folder running dbt build --select path:..., ordered by folder lineage', async (t) => {
    const engine = engineFor(ex.dir);
    const plan = await planAirflowDag(engine, { dagsFolder: 'dags', mode: 'selector-groups', dagId: 'shopwise_groups', schedule: null });
    assert.deepEqual(plan.problems, []);
    const text = dagText(plan);
    const snap = await engine.snapshot();
    const folder = (p: string) => p.slice(0, p.lastIndexOf('/'));
    const runnable = snap.graph.nodes().filter(n => ['model', 'seed', 'snapshot'].includes(n.resourceType));
    const groupOf = (p: string) => folder(p).replace(/[^A-Za-z0-9_]+/g, '_');
    const expected = new Set<string>();
    for (const n of runnable) {
      for (const h of snap.graph.upstream(n.uniqueId, 1)) {
        if (!['model', 'seed', 'snapshot'].includes(h.node.resourceType)) continue;
        const a = groupOf(h.node.location!.path), b = groupOf(n.location!.path);
        if (a !== b) expected.add(`${a} -> ${b}`);
      }
    }
    const fromText = parseDependencies(text).map(([a, b]) => `${a.replace(/^t_/, '')} -> ${b.replace(/^t_/, '')}`);
    assert.deepEqual(fromText.sort(), [...expected].sort());
    assert.match(text, /with TaskGroup\(group_id="models_marts_core"\) as t_models_marts_core:\n {8}t_models_marts_core_build = BashOperator\(task_id="build", bash_command=dbt\("build --select path:models\/marts\/core"\)\)/);

    if (!PYTHON) return t.skip('python3 is not installed');
    const file = path.join(work, 'shopwise_groups.py');
    fs.writeFileSync(file, text);
    execFileSync(PYTHON, ['-m', 'py_compile', file]);
    const declared = execute(file);
    assert.equal(declared.schedule, null);
    const folders = new Set(runnable.map(n => groupOf(n.location!.path)));
    assert.deepEqual(declared.tasks.map(x => x[0]).sort(), [...folders].map(f => `${f}.build`).sort());
    assert.deepEqual(declared.edges.map(key).sort(), [...expected].sort());
  });

  test('run + test per model, and tag groups with dbt run then dbt test inside each group', async (t) => {
    const engine = engineFor(ex.dir);
    const perModel = dagText(await planAirflowDag(engine, { dagsFolder: 'dags', mode: 'per-model', command: 'run-test' }));
    assert.match(perModel, /bash_command=dbt\("seed --select raw_orders"\) \+ " && " \+ dbt\("test --select raw_orders"\)/);
    assert.match(perModel, /bash_command=dbt\("run --select fct_orders"\) \+ " && " \+ dbt\("test --select fct_orders"\)/);
    const tags = dagText(await planAirflowDag(engine, { dagsFolder: 'dags', mode: 'selector-groups', groupBy: 'tag', command: 'run-test' }));
    assert.match(tags, /t_tag_finance_run = BashOperator\(task_id="run", bash_command=dbt\("run --select tag:finance"\)\)\n {8}t_tag_finance_test = BashOperator\(task_id="test", bash_command=dbt\("test --select tag:finance"\)\)\n {8}t_tag_finance_run >> t_tag_finance_test/);
    if (!PYTHON) return t.skip('python3 is not installed');
    for (const [name, text] of [['per_model_rt.py', perModel], ['tags_rt.py', tags]]) {
      const file = path.join(work, name);
      fs.writeFileSync(file, text);
      const declared = execute(file);
      assert.ok(declared.tasks.length > 5);
    }
  });
});

describe('Airflow DAG: folders that depend on each other', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-airflow-cycle-'));
    const w = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true }); fs.writeFileSync(path.join(dir, rel), text); };
    w('dbt_project.yml', 'name: loops\nversion: "1.0"\nconfig-version: 2\nprofile: loops\n');
    w('models/a/a1.sql', 'select 1 as id\n');
    w('models/b/b1.sql', "select * from {{ ref('a1') }}\n");
    w('models/a/a2.sql', "select * from {{ ref('b1') }}\n");
    w('models/c/c1.sql', "select * from {{ ref('a2') }}\n");
    w('models/eph/e1.sql', "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('c1') }}\n");
    w('models/d/d1.sql', "select * from {{ ref('e1') }}\n");
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a folder cycle becomes one merged group; ephemeral models are looked through', async (t) => {
    const engine = engineFor(dir);
    const groups = dagText(await planAirflowDag(engine, { dagsFolder: 'dags', mode: 'selector-groups' }));
    assert.match(groups, /with TaskGroup\(group_id="models_a__models_b"\) as t_models_a__models_b:\n {8}\S+ = BashOperator\(task_id="build", bash_command=dbt\("build --select path:models\/a path:models\/b"\)\)/);
    assert.deepEqual(parseDependencies(groups).map(key).sort(), ['t_models_a__models_b -> t_models_c', 't_models_c -> t_models_d']);
    const perModel = dagText(await planAirflowDag(engine, { dagsFolder: 'dags', mode: 'per-model' }));
    assert.deepEqual(parseDependencies(perModel).map(key).sort(), ['t_a1 -> t_b1', 't_a2 -> t_c1', 't_b1 -> t_a2', 't_c1 -> t_d1']);
    assert.doesNotMatch(perModel, /task_id="e1"/);
    if (!PYTHON) return t.skip('python3 is not installed');
    const file = path.join(dir, 'loops.py');
    fs.writeFileSync(file, groups);
    execFileSync(PYTHON, ['-m', 'py_compile', file]);
  });
});
