import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseFromWebview, parseToWebview, type ChatTurn } from '../../../src/extension/protocol';

const turn: ChatTurn = {
  id: 't1', question: 'what feeds fct_orders?', answer: 'stg_orders [1]', mode: 'offline', followUps: ['Who changed fct_orders last?'],
  citations: [{ path: 'models/fct_orders.sql', startLine: 1, endLine: 20, kind: 'model', nodeId: 'model.shop.fct_orders', title: 'fct_orders' }],
  at: '2025-01-01T00:00:00.000Z',
};

describe('webview → extension messages', () => {
  test('valid messages pass, trimmed and reduced to known fields', () => {
    assert.deepEqual(parseFromWebview({ type: 'ask', question: '  what is fct_orders?  ' }), { type: 'ask', question: 'what is fct_orders?' });
    assert.deepEqual(parseFromWebview({ type: 'stop', id: 'a1' }), { type: 'stop', id: 'a1' });
    assert.deepEqual(parseFromWebview({ type: 'openCitation', citation: { path: 'models/a.sql', startLine: 3, kind: 'model', extra: '<x>' } }),
      { type: 'openCitation', citation: { path: 'models/a.sql', startLine: 3, kind: 'model' } });
    assert.deepEqual(parseFromWebview({ type: 'codeAction', action: 'openSql', code: 'select 1', language: 'sql' }),
      { type: 'codeAction', action: 'openSql', code: 'select 1', language: 'sql' });
    assert.deepEqual(parseFromWebview({ type: 'clearHistory', junk: 1 }), { type: 'clearHistory' });
  });

  test('a citation click names its answer (the folder that answered opens it); a bad turn id is rejected', () => {
    const citation = { path: 'models/a.sql', kind: 'model' };
    assert.deepEqual(parseFromWebview({ type: 'openCitation', citation, turnId: 't1' }), { type: 'openCitation', citation, turnId: 't1' });
    assert.equal(parseFromWebview({ type: 'openCitation', citation, turnId: 7 }), undefined);
    assert.equal(parseFromWebview({ type: 'openCitation', citation, turnId: 'x'.repeat(201) }), undefined);
    assert.ok(parseToWebview({ type: 'answerDone', turn: { ...turn, folder: 'file:///w/support' } }));
    assert.equal(parseToWebview({ type: 'answerDone', turn: { ...turn, folder: 42 } }), undefined);
    const stopped = { id: 's', name: 'execute_query', args: {}, status: 'stopped', detail: 'Stopped before it ran.' };
    assert.ok(parseToWebview({ type: 'step', id: 'a', step: stopped }));
    assert.equal(parseToWebview({ type: 'step', id: 'a', step: { ...stopped, status: 'paused' } }), undefined);
  });

  test('malformed or unknown messages are rejected', () => {
    for (const bad of [null, 'ask', [], { type: 'ask' }, { type: 'ask', question: '   ' }, { type: 'ask', question: 42 },
      { type: 'openCitation', citation: { path: 'a.sql' } }, { type: 'openCitation', citation: { path: 'a.sql', kind: 'model', startLine: 0 } },
      { type: 'openCitation', citation: { path: 'a.sql', kind: 'model', startLine: 1.5 } },
      { type: 'codeAction', action: 'run', code: 'drop table x' }, { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'ask', question: 'x'.repeat(10_001) }]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });
});

describe('extension → webview messages', () => {
  test('init, tokens, done and prefill pass', () => {
    const status = { state: 'ready', text: 'shopwise · 120 documents', model: 'offline answers' } as const;
    assert.ok(parseToWebview({ type: 'init', turns: [turn], inputHistory: ['q'], status, examples: ['What feeds fct_orders?'] }));
    assert.ok(parseToWebview({ type: 'init', turns: [], inputHistory: [], status, examples: [], pending: { id: 'a', question: 'q', text: 'partial' } }));
    assert.ok(parseToWebview({ type: 'answerToken', id: 'a', text: 'abc' }));
    assert.ok(parseToWebview({ type: 'answerDone', turn }));
    assert.ok(parseToWebview({ type: 'prefill', question: 'Explain fct_orders', submit: true }));
  });

  test('a turn with a broken citation or mode is rejected', () => {
    assert.equal(parseToWebview({ type: 'answerDone', turn: { ...turn, citations: [{ path: 1, kind: 'model' }] } }), undefined);
    assert.equal(parseToWebview({ type: 'answerDone', turn: { ...turn, mode: 'html' } }), undefined);
    assert.equal(parseToWebview({ type: 'status', status: { state: 'weird', text: '', model: '' } }), undefined);
    assert.equal(parseToWebview({ type: 'evalThis', code: 'alert(1)' }), undefined);
    assert.equal(parseToWebview({ type: 'init', turns: [], inputHistory: [], status: { state: 'ready', text: '', model: '' } }), undefined, 'examples missing');
  });
});

describe('analytics messages', () => {
  const result = { columns: [{ name: 'month', type: 'DATE' }, { name: 'revenue', type: 'DOUBLE' }], rows: [['2024-01-01', 10], ['2024-02-01', null]], truncated: false, elapsedMs: 5, sql: 'select 1' };
  const step = { id: 's1', name: 'execute_query', args: { sql: 'select 1' }, sql: 'select 1', status: 'ok', summary: '2 rows', rowCount: 2, elapsedMs: 5 };

  test('steps, confirmations and turns with a result pass', () => {
    assert.ok(parseToWebview({ type: 'step', id: 'a', step }));
    assert.ok(parseToWebview({ type: 'confirmQuery', id: 'a', confirm: { queryId: 'q1', sql: 'select 1' } }));
    assert.ok(parseToWebview({ type: 'confirmDone', id: 'a', queryId: 'q1', approved: false }));
    assert.ok(parseToWebview({ type: 'answerDone', turn: { ...turn, mode: 'llm', steps: [step], sql: 'select 1', result } }));
    assert.ok(parseToWebview({ type: 'answerDone', turn: { ...turn, mode: 'sql', result: { ...result, rows: [[{ a: [1, 2] }, 'x']] } } }), 'struct/list cells');
    assert.ok(parseToWebview({ type: 'init', turns: [], inputHistory: [], status: { state: 'ready', text: '', model: '' }, examples: [], pending: { id: 'a', question: 'q', text: '', steps: [step], confirm: { queryId: 'q', sql: 'select 1' } } }));
  });

  test('broken results and steps are rejected', () => {
    const bad = [
      { ...result, rows: [['2024-01-01']] }, // row shorter than the columns
      { ...result, columns: [{ name: 1, type: 'x' }, { name: 'b', type: 'y' }] },
      { ...result, truncated: 'no' },
      { ...result, rows: [[() => 1, 1]] },
    ];
    for (const r of bad) assert.equal(parseToWebview({ type: 'answerDone', turn: { ...turn, result: r } }), undefined, JSON.stringify(r).slice(0, 80));
    assert.equal(parseToWebview({ type: 'step', id: 'a', step: { ...step, status: 'hacked' } }), undefined);
    assert.equal(parseToWebview({ type: 'step', id: 'a', step: { ...step, args: 'select 1' } }), undefined);
    assert.equal(parseToWebview({ type: 'confirmQuery', id: 'a', confirm: { queryId: 'q1' } }), undefined);
  });

  test('confirmations and result actions from the view are checked and reduced', () => {
    assert.deepEqual(parseFromWebview({ type: 'confirmQuery', queryId: 'q1', approved: true, sql: 'drop table x' }), { type: 'confirmQuery', queryId: 'q1', approved: true });
    assert.deepEqual(parseFromWebview({ type: 'resultAction', action: 'exportCsv', turnId: 't1', sort: { column: 1, dir: 'desc', x: 1 }, rows: [[1]] }),
      { type: 'resultAction', action: 'exportCsv', turnId: 't1', sort: { column: 1, dir: 'desc' } });
    for (const bad of [{ type: 'confirmQuery', queryId: 'q1', approved: 'yes' }, { type: 'resultAction', action: 'writeFile', turnId: 't1' },
      { type: 'resultAction', action: 'copyTsv', turnId: 't1', sort: { column: -1, dir: 'asc' } }, { type: 'resultAction', action: 'copyTsv', turnId: 't1', sort: { column: 0, dir: 'up' } }]) {
      assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
    }
  });
});

describe('proposeEdit (action buttons under an answer)', () => {
  test('a known action with its target passes, reduced to known string fields; the folder never comes from the view', () => {
    assert.deepEqual(parseFromWebview({ type: 'proposeEdit', turnId: 't1', kind: 'document', target: { node: 'model.shop.fct_orders', folder: 'file:///elsewhere', x: 1 } }),
      { type: 'proposeEdit', turnId: 't1', kind: 'document', target: { node: 'model.shop.fct_orders' } });
    assert.deepEqual(parseFromWebview({ type: 'proposeEdit', turnId: 't1', kind: 'airflow', target: { mode: 'selector-groups' } }),
      { type: 'proposeEdit', turnId: 't1', kind: 'airflow', target: { mode: 'selector-groups' } });
  });

  test('unknown kinds, bad targets and missing turns are dropped', () => {
    for (const m of [
      { type: 'proposeEdit', turnId: 't1', kind: 'paint', target: {} },
      { type: 'proposeEdit', turnId: 't1', kind: 'document', target: 'fct_orders' },
      { type: 'proposeEdit', turnId: 't1', kind: 'document', target: { node: 42 } },
      { type: 'proposeEdit', turnId: 't1', kind: 'airflow', target: { mode: 'all-at-once' } },
      { type: 'proposeEdit', kind: 'document', target: { node: 'a' } },
    ]) assert.equal(parseFromWebview(m), undefined, JSON.stringify(m));
  });

  test('a turn carrying action buttons passes; a malformed one is refused', () => {
    const edits = { node: 'model.shop.fct_orders', name: 'fct_orders', resourceType: 'model', optimize: true };
    assert.ok(parseToWebview({ type: 'answerDone', turn: { ...turn, edits } }));
    assert.equal(parseToWebview({ type: 'answerDone', turn: { ...turn, edits: { ...edits, resourceType: 'macro' } } }), undefined);
  });
});
