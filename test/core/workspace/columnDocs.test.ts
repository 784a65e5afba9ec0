// Column documentation of a node on a real copy of the example: documented / undocumented as the YAML says (read
// independently with the yaml package), and warehouse columns the YAML does not list (from the built DuckDB file).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { columnDocs, yamlEntry } from '../../../src/core/workspace/columnDocs';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import type { WorkspaceSnapshot } from '../../../src/core/workspace/snapshot';
import { copyExample, type ExampleCopy } from '../../support/example';

const YML = 'models/marts/core/_core__models.yml';
let ex: ExampleCopy;
let snap: WorkspaceSnapshot;

/** The column entries of a model in the YAML file, as the yaml package reads them. */
function yamlColumns(file: string, model: string): YAMLMap[] {
  const models = parseDocument(fs.readFileSync(file, 'utf8')).get('models');
  assert.ok(isSeq(models));
  const entry = models.items.find(m => isMap(m) && m.get('name') === model);
  assert.ok(isMap(entry), `${model} not in ${file}`);
  const cols = entry.get('columns');
  return isSeq(cols) ? cols.items.filter(isMap) : [];
}

before(async () => {
  ex = copyExample({ history: false });
  await ensureExampleWarehouse(ex.dir); // the warehouse has every column the model builds
  // Then the YAML forgets one column and loses one description.
  const file = path.join(ex.dir, YML);
  const doc = parseDocument(fs.readFileSync(file, 'utf8'));
  const models = doc.get('models');
  assert.ok(isSeq(models));
  const orders = models.items.find(m => isMap(m) && m.get('name') === 'fct_orders');
  assert.ok(isMap(orders));
  const cols = orders.get('columns');
  assert.ok(isSeq(cols));
  const dropped = cols.items.findIndex(c => isMap(c) && c.get('name') === 'is_first_order');
  assert.ok(dropped >= 0);
  cols.items.splice(dropped, 1);
  const blank = cols.items.find(c => isMap(c) && c.get('name') === 'coupon_code');
  assert.ok(isMap(blank));
  blank.set('description', '');
  fs.writeFileSync(file, doc.toString());
  snap = await new WorkspaceLoader(ex.dir, { noHistory: true }).load();
});
after(() => ex?.cleanup());

describe('column documentation', () => {
  test('documented and undocumented columns follow the YAML; a column only the warehouse has is reported', () => {
    const node = snap.graph.resolve('fct_orders')!;
    const d = columnDocs(snap, node);
    const cols = yamlColumns(path.join(ex.dir, YML), 'fct_orders');
    const described = (c: YAMLMap) => String(c.get('description') ?? '').trim() !== '';
    assert.deepEqual(d.documented, cols.filter(described).map(c => String(c.get('name'))));
    assert.deepEqual(d.undocumented, cols.filter(c => !described(c)).map(c => String(c.get('name'))));
    assert.ok(d.undocumented.includes('coupon_code'));
    assert.deepEqual(d.warehouseOnly, ['is_first_order']);
  });

  test('without a warehouse catalog nothing is warehouse-only', () => {
    const node = snap.graph.resolve('fct_orders')!;
    assert.deepEqual(columnDocs({ catalog: undefined }, node).warehouseOnly, []);
  });

  test('a model is documented at its YAML entry; a source is defined in YAML', () => {
    const model = snap.graph.resolve('fct_orders')!;
    assert.equal(yamlEntry(model)?.path, YML);
    const source = snap.graph.nodes().find(n => n.resourceType === 'source')!;
    assert.match(yamlEntry(source)?.path ?? '', /\.ya?ml$/);
    const seed = snap.graph.nodes().find(n => n.resourceType === 'seed' && !n.yamlLocation);
    if (seed) assert.equal(yamlEntry(seed), undefined, 'a seed without YAML has no entry');
  });
});
