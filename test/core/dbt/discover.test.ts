import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { discoverProjects } from '../../../src/core/dbt/discover';
import { listProjectFiles, readProjectFile } from '../../../src/core/dbt/files';
import { parseProjectConfig } from '../../../src/core/dbt/project';
import { parseProjectFiles } from '../../../src/core/dbt/parse';

const FIX = path.join(__dirname, '..', '..', 'fixtures', 'dbt');
const temps: string[] = [];
after(() => { for (const t of temps) fs.rmSync(t, { recursive: true, force: true }); });

function tempWorkspace(files: Record<string, string | Buffer>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-dbt-discover-'));
  temps.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('dbt_project.yml', () => {
  test("dbt's defaults: resource paths, docs-paths = all resource paths, target", () => {
    const { info, problems } = parseProjectConfig('dbt_project.yml', 'name: shop\nversion: 1.10\nprofile: p\nvars: {a: 1}\n');
    assert.deepEqual(problems, []);
    assert.ok(info);
    assert.equal(info.root, '');
    assert.equal(info.version, '1.10', 'the version as written, not the float 1.1');
    assert.equal(info.profile, 'p');
    assert.deepEqual(info.modelPaths, ['models']);
    assert.deepEqual(info.seedPaths, ['seeds']);
    assert.deepEqual(info.macroPaths, ['macros']);
    assert.deepEqual(info.snapshotPaths, ['snapshots']);
    assert.deepEqual(info.testPaths, ['tests']);
    assert.deepEqual(info.analysisPaths, ['analyses']);
    assert.deepEqual(info.docsPaths, ['models', 'seeds', 'macros', 'snapshots', 'tests', 'analyses']);
    assert.equal(info.targetPath, 'target');
    assert.deepEqual(info.vars, { a: 1 });
  });

  test('custom and legacy path keys, relative to a nested project folder', () => {
    const content = fs.readFileSync(path.join(FIX, 'custom_paths', 'dbt_project.yml'), 'utf8');
    const { info } = parseProjectConfig('sub/dir/dbt_project.yml', content);
    assert.ok(info);
    assert.equal(info.root, 'sub/dir');
    assert.deepEqual(info.modelPaths, ['sub/dir/transform']); // legacy source-paths
    assert.deepEqual(info.seedPaths, ['sub/dir/data']); // legacy data-paths
    assert.deepEqual(info.macroPaths, ['sub/dir/lib/macros']);
    assert.deepEqual(info.snapshotPaths, ['sub/dir/history']);
    assert.deepEqual(info.testPaths, ['sub/dir/checks']);
    assert.deepEqual(info.analysisPaths, ['sub/dir/adhoc']);
    assert.deepEqual(info.docsPaths, ['sub/dir/documentation']);
    assert.equal(info.targetPath, 'sub/dir/build');
    assert.deepEqual(Object.keys(info.resourceConfigs), ['models']);
  });

  test('model-paths wins over source-paths; paths leaving the workspace are dropped with a warning', () => {
    const { info, problems } = parseProjectConfig('p/dbt_project.yml',
      'name: x\nmodel-paths: ["./m/", m2]\nsource-paths: [old]\nseed-paths: ["../../outside"]\n');
    assert.deepEqual(info?.modelPaths, ['p/m', 'p/m2']);
    assert.deepEqual(info?.seedPaths, []);
    assert.deepEqual(problems.map(p => [p.path, p.line]), [['p/dbt_project.yml', 4]]);
    assert.match(problems[0].message, /outside the workspace/);
  });

  test('malformed YAML or a missing name: a problem with a line and no project', () => {
    const bad = parseProjectConfig('dbt_project.yml', 'name: a\nmodels:\n  a:\n    +materialized: [table\n');
    assert.equal(bad.info, undefined);
    assert.equal(bad.problems[0].line, 5);
    assert.equal(bad.problems[0].severity, 'error');
    const noName = parseProjectConfig('dbt_project.yml', 'version: 2\n');
    assert.equal(noName.info, undefined);
    assert.match(noName.problems[0].message, /no `name:`/);
  });
});

describe('discoverProjects', () => {
  test('monorepo: every project, nested ones too; dbt_packages ignored; a broken project is a problem', async () => {
    const { projects, problems } = await discoverProjects(path.join(FIX, 'monorepo'));
    assert.deepEqual(projects.map(p => [p.name, p.root]), [
      ['project_a', 'warehouse_a'],
      ['project_a_integration_tests', 'warehouse_a/integration_tests'],
      ['project_b', 'warehouse_b'],
    ]);
    assert.deepEqual(problems.map(p => [p.path, p.line]), [['broken_project/dbt_project.yml', 5]]);
  });

  test('skips node_modules, target, dot-folders and Python virtualenvs', async () => {
    const ws = tempWorkspace({
      'dbt_project.yml': 'name: root\n',
      'node_modules/pkg/dbt_project.yml': 'name: in_node_modules\n',
      'target/dbt_project.yml': 'name: in_target\n',
      '.hidden/dbt_project.yml': 'name: in_dot_folder\n',
      'venv/pyvenv.cfg': 'home = /usr/bin\n',
      'venv/lib/python3.11/site-packages/dbt/include/global_project/dbt_project.yml': 'name: dbt\n',
      'tools/site-packages/x/dbt_project.yml': 'name: in_site_packages\n',
      'analytics/dbt_project.yml': 'name: analytics\n',
    });
    const { projects, problems } = await discoverProjects(ws);
    assert.deepEqual(projects.map(p => p.name), ['root', 'analytics']);
    assert.deepEqual(problems, []);
  });
});

describe('listProjectFiles', () => {
  test('only the configured folders, with custom paths; target-path and other folders are not read', async () => {
    const ws = path.join(FIX, 'custom_paths');
    const { projects } = await discoverProjects(ws);
    const files = await listProjectFiles(ws, projects[0]);
    assert.deepEqual([...files], [
      'adhoc/explore.sql', 'checks/assert_sales.sql', 'data/stores.csv', 'documentation/overview.md',
      'history/store_history.sql', 'lib/macros/strings.sql', 'transform/core/core.yml', 'transform/core/dim_store.sql',
      'transform/core/fct_sales.sql', 'transform/core/notes.md',
    ]);
    assert.deepEqual(files.problems, []);
  });

  test('monorepo: each project lists its own files, not its packages nor nested projects', async () => {
    const ws = path.join(FIX, 'monorepo');
    const { projects } = await discoverProjects(ws);
    const lists = await Promise.all(projects.map(p => listProjectFiles(ws, p)));
    assert.deepEqual(lists.map(l => [...l]), [
      ['warehouse_a/models/a_model.sql'],
      ['warehouse_a/integration_tests/models/it_model.sql'],
      ['warehouse_b/models/b_model.sql'],
    ]);
  });

  test('binary and oversized files are skipped with a problem; big seeds are kept and read in part', async () => {
    // Rows of similar width, as in real seeds: the estimate extrapolates the average row size of the head.
    const bigSeed = 'id,name\n' + Array.from({ length: 150_000 }, (_, i) => `${String(i).padStart(6, '0')},name_${i % 1000}`).join('\n') + '\n';
    const ws = tempWorkspace({
      'dbt_project.yml': 'name: sizes\nmodel-paths: ["."]\n',
      'models/ok.sql': 'select 1',
      'models/logo.sql': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01]),
      'models/huge.sql': `select '${'x'.repeat(2 * 1024 * 1024)}'`,
      'models/notes.txt': 'not a dbt file type',
      'models/vendored/dbt_project.yml': 'name: vendored\n',
      'models/vendored/models/v.sql': 'select 1',
      'seeds/big.csv': bigSeed,
    });
    const { projects } = await discoverProjects(ws);
    const root = projects.find(p => p.name === 'sizes')!;
    const problems: { path: string; message: string }[] = [];
    const files = await listProjectFiles(ws, root, problems as never);
    assert.deepEqual([...files], ['models/ok.sql', 'seeds/big.csv']);
    assert.deepEqual(files.problems.map(p => [p.path, p.message.split(' (')[0].split(';')[0]]), [
      ['models/huge.sql', 'skipped, too large'],
      ['models/logo.sql', 'skipped, binary file'],
    ]);
    assert.equal(problems.length, 2);

    const read = await readProjectFile(ws, 'seeds/big.csv');
    assert.equal(read.sizeBytes, Buffer.byteLength(bigSeed));
    assert.ok(read.content.length < 300 * 1024 && read.content.endsWith('\n'));

    const parsed = await parseProjectFiles(ws, root);
    const seed = parsed.nodes.find(n => n.uniqueId === 'seed.sizes.big')!;
    assert.deepEqual(seed.props.header, ['id', 'name']);
    assert.equal(seed.props.rowCountEstimated, true);
    const rows = seed.props.rowCount as number;
    assert.ok(Math.abs(rows - 150_000) < 150_000 * 0.05, `estimate ${rows} should be within 5% of 150000`);
    assert.deepEqual(parsed.problems.map(p => p.path).sort(), ['models/huge.sql', 'models/logo.sql']);
    assert.ok(parsed.nodes.some(n => n.uniqueId === 'model.sizes.ok'));
  });
});
