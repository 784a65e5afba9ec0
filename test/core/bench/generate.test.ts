import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { generateProject, type GeneratedInfo } from '../../../bench/generate';

const TINY = { models: 20, yamlColumns: 100, commits: 30 };

function git(dir: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(dir, p));
    else out.push(p);
  }
  return out;
}

describe('bench project generator (tiny scale)', () => {
  let root: string;
  let dir: string;
  let info: GeneratedInfo;
  let files: string[];

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-bench-gen-'));
    dir = path.join(root, 'project');
    info = await generateProject(dir, TINY, 7);
    files = listFiles(dir);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('reports and writes the requested number of models', () => {
    assert.equal(info.counts.models, 20);
    const models = files.filter(f => f.startsWith('models/') && f.endsWith('.sql'));
    assert.equal(models.length, 20);
    assert.equal(info.counts.files, files.length);
    assert.ok(info.counts.macros >= 20 && info.counts.macros <= 50, `macros: ${info.counts.macros}`);
    assert.ok(info.counts.sources >= 2, 'several sources');
    assert.ok(files.includes('dbt_project.yml') && files.includes('profiles.yml'));
    assert.ok(files.some(f => f.startsWith('seeds/') && f.endsWith('.csv')));
  });

  test('the YAML files parse and document exactly the requested number of columns', () => {
    let columns = 0;
    for (const f of files.filter(f => f.endsWith('.yml'))) {
      const doc = parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
      for (const m of Array.isArray(doc.models) ? doc.models : []) columns += (m.columns ?? []).length;
      for (const s of Array.isArray(doc.sources) ? doc.sources : []) {
        for (const t of s.tables ?? []) columns += (t.columns ?? []).length;
      }
    }
    assert.equal(columns, 100);
    assert.equal(info.counts.yamlColumns, 100);
  });

  test('every ref() points at a generated model or seed', () => {
    const models = new Set(files.filter(f => f.startsWith('models/') && f.endsWith('.sql')).map(f => path.basename(f, '.sql')));
    const seeds = new Set(files.filter(f => f.endsWith('.csv')).map(f => path.basename(f, '.csv')));
    let refs = 0;
    let modelRefs = 0;
    for (const f of files.filter(f => f.endsWith('.sql') || f.endsWith('.yml'))) {
      for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\bref\(\s*['"](\w+)['"]\s*\)/g)) {
        refs++;
        if (models.has(m[1])) modelRefs++;
        else assert.ok(seeds.has(m[1]), `${f} refs ${m[1]}, which is neither a model nor a seed`);
      }
    }
    assert.ok(modelRefs >= 13, `downstream models ref models (${modelRefs} of ${refs} refs)`);
  });

  test('git history: requested commits, several authors, a rename, 1-5 files per commit, clean tree', () => {
    assert.equal(git(dir, ['rev-list', '--count', 'HEAD']).trim(), '30');
    assert.equal(info.counts.commits, 30);
    const authors = new Set(git(dir, ['log', '--format=%an']).trim().split('\n'));
    assert.ok(authors.size >= 3, `authors: ${[...authors].join(', ')}`);
    const log = git(dir, ['log', '-M', '--name-status', '--format=@%H %P']);
    const renames = log.split('\n').filter(l => /^R\d+\t/.test(l));
    assert.ok(renames.length >= 1, 'at least one rename');
    assert.ok(renames.every(l => /\.sql\t.*\.sql$/.test(l)), 'renames move model files');
    for (const block of log.split('@').filter(Boolean)) {
      const [head, ...rest] = block.trim().split('\n');
      const isRoot = head.trim().split(' ').length === 1;
      const changed = rest.filter(l => /^[AMDR]/.test(l)).length;
      if (!isRoot) assert.ok(changed >= 1 && changed <= 5, `commit ${head} changes ${changed} files`);
    }
    assert.equal(git(dir, ['status', '--porcelain']), '');
  });

  test('questions and the edit target name real models', () => {
    const names = new Set(files.filter(f => f.endsWith('.sql')).map(f => path.basename(f, '.sql')));
    assert.ok(info.questions.length >= 30, `questions: ${info.questions.length}`);
    assert.deepEqual(new Set(info.questions.map(q => q.kind)), new Set(['where', 'upstream', 'tests', 'column', 'who', 'grain']));
    for (const q of info.questions) {
      assert.ok(names.has(q.model) && q.text.includes(q.model), q.text);
      assert.ok(files.includes(q.path), q.path);
    }
    assert.ok(fs.existsSync(path.join(dir, info.editTarget)), info.editTarget);
    assert.ok(info.sampleModels.every(m => names.has(m)));
  });

  test('the same seed gives the same repository; a non-empty folder is refused', async () => {
    const again = path.join(root, 'again');
    await generateProject(again, TINY, 7);
    assert.equal(git(again, ['rev-parse', 'HEAD']), git(dir, ['rev-parse', 'HEAD']));
    await assert.rejects(generateProject(dir, TINY, 7), /not empty/);
  });
});
