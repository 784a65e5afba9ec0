import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkTargets, formatTable, type ScaleFigures } from '../../../bench/runner/report';
import { folderBytes, median, percentile } from '../../../bench/runner/stats';

test('percentiles use the nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 95), 95);
  assert.equal(median([5, 1, 3]), 3);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('targets per scale: met, missed and not measured', () => {
  const large: ScaleFigures = {
    scale: 'large', reusedProject: true, models: 1500, yamlColumns: 15000, commits: 10000, errors: [],
    coldIndexMs: 59_000, incrementalMs: 310, peakRssMb: 420,
  };
  const checks = checkTargets(large);
  const by = (m: string) => checks.find(c => c.metric === m)!;
  assert.equal(by('coldIndexMs').limit, 60_000);
  assert.equal(by('coldIndexMs').ok, true);
  assert.equal(by('incrementalMs').ok, false);
  assert.equal(by('askP95Ms').ok, false, 'a figure that was not measured fails its target');
  assert.equal(by('peakRssMb').ok, true);
  const medium = checkTargets({ ...large, scale: 'medium', coldIndexMs: 12_000 });
  assert.equal(medium.find(c => c.metric === 'coldIndexMs')!.ok, false, 'medium is held to 10 s');
  assert.equal(medium.some(c => c.metric === 'peakRssMb'), false, 'the RSS target is for the large scale');

  const table = formatTable([large], checks);
  assert.match(table, /cold index \(hashed\)\s+59\.0 s\s+✓/);
  assert.match(table, /one-model refresh.*310 ms\s+✗/);
  assert.match(table, /targets: 2 of 4 met/);
});

test('folderBytes sums nested files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-bench-stats-'));
  try {
    fs.mkdirSync(path.join(dir, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'x.bin'), Buffer.alloc(1000));
    fs.writeFileSync(path.join(dir, 'a', 'b', 'y.bin'), Buffer.alloc(234));
    assert.equal(folderBytes(dir), 1234);
    assert.equal(folderBytes(path.join(dir, 'missing')), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
