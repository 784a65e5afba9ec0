// Assembly: config precedence, doc() resolution, duplicates, and safety for cached parses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { assembleProject, resolveDocRefs } from '../../../src/core/dbt/assemble';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { parseFile, parseProjectFiles } from '../../../src/core/dbt/parse';
import { parseProjectConfig } from '../../../src/core/dbt/project';
import type { DbtNode, Problem } from '../../../src/core/types';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'dbt');

const info = parseProjectConfig('dbt_project.yml', `name: shop
models:
  +persist_docs: {relation: true}
  shop:
    +materialized: view
    +tags: [all]
    marts:
      +materialized: table
      +schema: marts
      +meta: {owner: analytics}
      finance:
        +tags: finance
        revenue:
          +alias: revenue_final
  other_package:
    +materialized: ephemeral
`).info!;

function assemble(files: Record<string, string>) {
  const parses = Object.entries(files).map(([rel, text]) => parseFile(info, rel, text));
  return { parses, project: assembleProject(info, parses) };
}

const byId = (nodes: DbtNode[], id: string): DbtNode => {
  const n = nodes.find(x => x.uniqueId === id);
  assert.ok(n, `${id} should exist`);
  return n;
};

describe('config precedence', () => {
  test('dbt_project.yml folder config < YAML config: < in-file config(); tags accumulate, meta merges', () => {
    const { project } = assemble({
      'models/marts/finance/revenue.sql': `{{ config(tags=['in_file'], meta={'tier': 'gold'}) }}select 1`,
      'models/marts/orders.sql': `{{ config(materialized='incremental', schema='custom') }}select 1`,
      'models/marts/customers.sql': 'select 1',
      'models/staging/stg.sql': 'select 1',
      'models/marts/marts.yml': `models:
  - name: orders
    config: {materialized: view, alias: orders_v}
  - name: customers
    config: {materialized: ephemeral}
    tags: [yaml_tag]
  - name: revenue
    meta: {owner: finance}
`,
    });
    const revenue = byId(project.nodes, 'model.shop.revenue');
    assert.equal(revenue.config.materialized, 'table');
    assert.equal(revenue.config.alias, 'revenue_final', 'a node can be configured by name in dbt_project.yml');
    assert.deepEqual(revenue.tags, ['all', 'finance', 'in_file']);
    assert.deepEqual(revenue.meta, { owner: 'finance', tier: 'gold' });
    assert.deepEqual(revenue.config.other.persist_docs, { relation: true }, 'root-level keys apply to every model');
    assert.deepEqual(revenue.props.fqn, ['shop', 'marts', 'finance', 'revenue']);
    const orders = byId(project.nodes, 'model.shop.orders');
    assert.equal(orders.config.materialized, 'incremental', 'in-file config() beats YAML');
    assert.equal(orders.config.alias, 'orders_v', 'YAML config applies where config() is silent');
    assert.deepEqual(orders.relation, { identifier: 'orders_v', schema: 'custom' });
    const customers = byId(project.nodes, 'model.shop.customers');
    assert.equal(customers.config.materialized, 'ephemeral', 'YAML beats dbt_project.yml');
    assert.deepEqual(customers.tags, ['all', 'yaml_tag']);
    assert.equal(customers.config.schema, 'marts');
    const stg = byId(project.nodes, 'model.shop.stg');
    assert.equal(stg.config.materialized, 'view', 'the other_package block does not apply');
    assert.equal(stg.config.schema, undefined);
  });
});

describe('doc() resolution', () => {
  test('descriptions take the docs block text; the original stays in props.rawDescription; unknown docs are reported', () => {
    const problems: Problem[] = [];
    const n: DbtNode = {
      uniqueId: 'model.shop.m', resourceType: 'model', name: 'm', project: 'shop', description: `{{ doc('intro') }}`,
      docRefs: ['intro'], tests: [], config: { tags: [], other: {} }, tags: [], meta: {}, refs: [], sources: [], macros: [],
      ctes: [], isIncremental: false, props: {},
      columns: [
        { name: 'a', description: `Status. {{ doc("status") }}`, docRefs: ['status'], tests: [], constraints: [], meta: {}, tags: [] },
        { name: 'b', description: `{{ doc('missing') }}`, docRefs: ['missing'], tests: [], constraints: [], meta: {}, tags: [],
          location: { path: 'models/x.yml', startLine: 9, endLine: 9 } },
      ],
    };
    const loc = { path: 'models/docs.md', startLine: 1, endLine: 3 };
    resolveDocRefs([n], [
      { name: 'intro', project: 'shop', text: 'The intro.', location: loc },
      { name: 'status', project: 'shop', text: 'One of a, b.', location: loc },
    ], problems);
    assert.equal(n.description, 'The intro.');
    assert.equal(n.props.rawDescription, `{{ doc('intro') }}`);
    assert.deepEqual(n.docRefs, ['intro']);
    assert.equal(n.columns[0].description, 'Status. One of a, b.');
    assert.equal(n.columns[1].description, `{{ doc('missing') }}`);
    assert.deepEqual(problems.map(p => [p.path, p.line]), [['models/x.yml', 9]]);
  });

  test('custom paths project: docs from docs-paths resolve, .md in resource paths is read too', async () => {
    const ws = path.join(FIX, 'custom_paths');
    const { projects } = await discoverProjects(ws);
    const project = await parseProjectFiles(ws, projects[0]);
    assert.deepEqual(project.problems, []);
    const fct = byId(project.nodes, 'model.custom_paths.fct_sales');
    assert.equal(fct.description, 'Sales, one row per sale.');
    assert.deepEqual(fct.docRefs, ['sales_doc']);
    assert.equal(fct.config.materialized, 'table');
    assert.deepEqual(project.docBlocks.map(d => d.name).sort(), ['notes_in_model_path', 'sales_doc']);
    assert.deepEqual(project.nodes.map(n => n.uniqueId), [
      'analysis.custom_paths.explore', 'macro.custom_paths.to_upper', 'model.custom_paths.dim_store',
      'model.custom_paths.fct_sales', 'seed.custom_paths.stores', 'snapshot.custom_paths.store_history',
      'test.custom_paths.assert_sales',
    ]);
    assert.deepEqual(byId(project.nodes, 'model.custom_paths.dim_store').macros, ['to_upper']);
    assert.equal(byId(project.nodes, 'snapshot.custom_paths.store_history').props.check_cols, 'all');
  });
});

describe('assembly safety', () => {
  test('parses are not mutated, so a cache can reuse them; assembling twice gives the same project', () => {
    const files = {
      'models/a.sql': 'select 1',
      'models/a.yml': `models:\n  - name: a\n    description: "{{ doc('d') }}"\n    columns: [{name: id, data_tests: [unique]}]\n`,
      'models/d.md': '{% docs d %}Doc text.{% enddocs %}',
    };
    const parses = Object.entries(files).map(([rel, text]) => parseFile(info, rel, text));
    const before = JSON.stringify(parses);
    const first = assembleProject(info, parses);
    const second = assembleProject(info, parses);
    assert.equal(JSON.stringify(parses), before);
    assert.deepEqual(first, second);
    assert.equal(byId(first.nodes, 'model.shop.a').description, 'Doc text.');
  });

  test('re-parsing one changed file and re-assembling reflects the change', () => {
    const a = parseFile(info, 'models/a.sql', `select * from {{ ref('b') }}`);
    const b = parseFile(info, 'models/b.sql', 'select 1');
    assert.deepEqual(byId(assembleProject(info, [a, b]).nodes, 'model.shop.a').refs, [{ name: 'b' }]);
    const a2 = parseFile(info, 'models/a.sql', `select * from {{ ref('c') }}`);
    assert.deepEqual(byId(assembleProject(info, [a2, b]).nodes, 'model.shop.a').refs, [{ name: 'c' }]);
  });

  test('duplicate model names and docs blocks are errors naming both files; the first is kept', () => {
    const { project } = assemble({
      'models/x.sql': 'select 1',
      'models/sub/x.sql': 'select 2',
      'models/a.md': '{% docs d %}first{% enddocs %}',
      'models/b.md': '{% docs d %}second{% enddocs %}',
    });
    assert.equal(project.nodes.filter(n => n.name === 'x').length, 1);
    assert.equal(byId(project.nodes, 'model.shop.x').location?.path, 'models/sub/x.sql', 'files are assembled in path order');
    assert.deepEqual(project.problems.map(p => [p.path, p.severity]), [['models/x.sql', 'error'], ['models/b.md', 'error']]);
    assert.match(project.problems[0].message, /models\/sub\/x\.sql:1 and models\/x\.sql:1/);
  });

  test('monorepo: cross-project refs are kept with their package', async () => {
    const ws = path.join(FIX, 'monorepo');
    const { projects } = await discoverProjects(ws);
    const b = await parseProjectFiles(ws, projects.find(p => p.name === 'project_b')!);
    assert.deepEqual(byId(b.nodes, 'model.project_b.b_model').refs, [{ package: 'project_a', name: 'a_model' }]);
    assert.deepEqual(byId(b.nodes, 'model.project_b.b_model').location?.path, 'warehouse_b/models/b_model.sql');
  });
});
