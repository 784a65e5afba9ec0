// The extension's pure helpers (no VS Code host needed): secret redaction, relative times and the diagnostics
// text. (Follow-ups and example questions are core's: test/core/answer/.)
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { redact } from '../../../src/extension/redact';
import { relativeTime } from '../../../src/extension/codeLens/relativeTime';
import { formatDiagnostics } from '../../../src/extension/diagnostics/format';

describe('redact', () => {
  test('removes API keys, bearer tokens, URL credentials and known secrets', () => {
    const text = 'key sk-proj-abcdefghijklmnop123 header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y url https://u:hunter2@host/v1?api_key=XYZ123&x=1 custom my-own-secret-value';
    const out = redact(text, ['my-own-secret-value']);
    for (const secret of ['sk-proj-abcdefghijklmnop123', 'eyJhbGciOiJIUzI1NiJ9', 'hunter2', 'XYZ123', 'my-own-secret-value']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /Bearer «redacted»/);
    assert.match(out, /api_key=«redacted»&x=1/);
    assert.match(out, /https:\/\/u:«redacted»@host/);
  });

  test('leaves ordinary text alone', () => {
    const text = 'indexed 3 projects in 120 ms: models/stg_orders.sql (skipped: no key)';
    assert.equal(redact(text), text);
  });
});

describe('relative time', () => {
  const now = new Date('2025-06-15T12:00:00Z');
  test('phrases', () => {
    assert.equal(relativeTime('2025-06-12T11:00:00Z', now), '3 days ago');
    assert.equal(relativeTime('2025-06-15T11:59:30Z', now), 'just now');
    assert.equal(relativeTime('2025-06-15T10:00:00Z', now), '2 hours ago');
    assert.equal(relativeTime('2024-06-01T00:00:00Z', now), '1 year ago');
    assert.equal(relativeTime('not a date', now), 'at an unknown time');
  });
});

describe('diagnostics text', () => {
  test('shows projects, documents, embeddings, history, warehouse, problems, model status and errors', () => {
    const md = formatDiagnostics({
      version: '0.1.0',
      model: { label: 'offline answers', problem: 'no VS Code language model is available' },
      settings: { 'llm.provider': 'auto' },
      folders: [{
        name: 'shop', path: '/w/shop', state: 'ready', errors: [{ at: '2025-01-01T00:00:00Z', message: 'indexing failed: disk full' }],
        status: {
          workspace: '/w/shop', indexDir: '/cache/idx', documents: 97,
          projects: [{ name: 'shopwise', root: '', origin: 'files', nodes: 120 }],
          embedder: { kind: 'hashed', model: 'hashed-2048', dims: 2048, reason: 'no local model' },
          history: { commits: 2, partial: false },
          warehouse: { kind: 'duckdb', origin: 'shopwise.duckdb', tables: 0, error: 'file is locked' },
          problems: [{ path: 'models/x.yml', line: 3, message: 'duplicate column', severity: 'warning' }],
        },
      }],
    });
    for (const want of ['shopwise at `.`: 120 nodes', 'documents: 97', 'hashed `hashed-2048`', 'no local model', 'git history: 2 commits',
      '**error** — file is locked', '`models/x.yml:3` duplicate column', '**model unavailable** — no VS Code language model', 'indexing failed: disk full']) {
      assert.ok(md.includes(want), `missing "${want}" in\n${md}`);
    }
  });
});
