// Approvable edits in the real extension host, on the example workspace copy: every action reachable from a lens,
// the lightbulb, the palette command and the chat API produces its edit; the decision is made in VS Code's real
// Refactor Preview (its own commands tick, apply, discard); a rejection leaves every byte as it was; an approval writes
// exactly the previewed plan (compared with core's applyChanges); hand-written YAML comments survive; undo restores.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, afterEach, before, describe, it } from 'mocha';
import { parseDocument } from 'yaml';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import type { NodeRef } from '../../../src/extension/nodeRef';
import { proposePlan, type Proposal } from '../../../src/extension/edits/preview';
import type { Log } from '../../../src/extension/log';
import type { ReviewSummary } from '../../../src/extension/edits/reviewPanel';
import type { ChatEditResult } from '../../../src/extension/edits/actions';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/openai-server';
import { deaApi, fileUri, openFile, waitFor, workspaceDir } from './helpers';
import { assertSameBytes, assertWroteExactly, changedPaths, decide, restoreBytes, workspaceBytes } from './editsHelpers';

const INT_YML = 'models/intermediate/_intermediate__models.yml';
const INT_SQL = 'models/intermediate/int_customer_order_history.sql';
const SEEDS_YML = 'seeds/_seeds.yml';
const FOLDER_ID = () => vscode.workspace.workspaceFolders![0].uri.toString();
const ref = (nodeId: string): NodeRef => ({ folder: FOLDER_ID(), nodeId });

async function lensesOf(rel: string): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(fileUri(rel));
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri(rel), 100)) ?? [];
}

async function actionsAt(rel: string, line: number, character = 0): Promise<vscode.CodeAction[]> {
  await vscode.workspace.openTextDocument(fileUri(rel));
  const pos = new vscode.Position(line, character);
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', fileUri(rel), new vscode.Range(pos, pos))) ?? [];
}

const read = (rel: string) => fs.readFileSync(path.join(workspaceDir(), rel), 'utf8');
const write = (rel: string, text: string) => { fs.mkdirSync(path.dirname(path.join(workspaceDir(), rel)), { recursive: true }); fs.writeFileSync(path.join(workspaceDir(), rel), text); };

/** Brings the index up to date after files were written behind VS Code's back, and waits for it. */
async function reindex(): Promise<void> {
  await vscode.commands.executeCommand('dea.reindex');
  await (await deaApi()).engines.whenIdle();
}

describe('approvable edits (Refactor Preview)', function () {
  this.timeout(120_000);
  let original: Map<string, Buffer>;

  before(async () => {
    await deaApi();
    original = workspaceBytes();
  });

  // Every test starts from the example as the harness made it.
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await restoreBytes(original);
    await reindex();
  });
  after(async () => {
    for (const k of ['airflow.dagsFolder', 'llm.provider', 'openai.baseUrl', 'openai.model']) {
      await vscode.workspace.getConfiguration('dea').update(k, undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.workspace.getConfiguration('dea').update(k, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('where the actions are offered', () => {
    it('lenses: Document and Generate Tests on an undocumented, untested model; none on a documented, tested one', async () => {
      const own = (await lensesOf(INT_SQL)).filter(l => /^dea\.(documentModel|generateTests)$/.test(l.command?.command ?? ''));
      assert.deepEqual(own.map(l => l.command!.command).sort(), ['dea.documentModel', 'dea.generateTests']);
      assert.deepEqual(own[0].command!.arguments, [ref('model.shopwise.int_customer_order_history')]);
      const api = await deaApi();
      const snap = api.engines.all()[0].snapshot!;
      const tested = snap.graph.nodes().find(n => n.resourceType === 'model' && n.location?.path === 'models/staging/shop/stg_shop__orders.sql')!;
      assert.ok(snap.graph.testsCovering(tested.uniqueId).length > 0);
      const onTested = (await lensesOf(tested.location!.path)).map(l => l.command?.command);
      assert.ok(!onTested.includes('dea.generateTests'), 'no Generate Tests lens on a tested model');
    });

    it('lenses on YAML entries: Generate Tests on every seed entry (none has a test)', async () => {
      const lenses = (await lensesOf(SEEDS_YML)).filter(l => l.command?.command === 'dea.generateTests');
      const seeds = parseDocument(read(SEEDS_YML)).toJS().seeds as { name: string }[];
      assert.equal(lenses.length, seeds.length);
      assert.deepEqual(lenses.map(l => (l.command!.arguments![0] as NodeRef).nodeId).sort(), seeds.map(s => `seed.shopwise.${s.name}`).sort());
    });

    it('the lightbulb on a model offers document, tests, review, explain, optimize, renames', async () => {
      const titles = (await actionsAt(INT_SQL, 40)).map(a => a.title);
      for (const t of ['DEA: Document int_customer_order_history', 'DEA: Generate tests for int_customer_order_history', 'DEA: Review int_customer_order_history',
        'DEA: Explain int_customer_order_history', 'DEA: Optimize the SQL of int_customer_order_history', 'DEA: Rename model int_customer_order_history…']) {
        assert.ok(titles.includes(t), `${t} missing from: ${titles.join(' | ')}`);
      }
      assert.ok(titles.some(t => t.startsWith('DEA: Rename')));
    });

    it('the lightbulb on a source table offers a staging model', async () => {
      const text = read('models/staging/shop/_shop__sources.yml');
      const line = text.slice(0, text.indexOf('- name: customers')).split('\n').length - 1;
      const titles = (await actionsAt('models/staging/shop/_shop__sources.yml', line, 10)).map(a => a.title);
      assert.ok(titles.includes('DEA: New staging model for shop.customers'), titles.join(' | '));
    });
  });

  describe('document a model from its lens', () => {
    it('a discarded preview changes nothing (no byte) and reports a rejection; nothing is written while it waits', async () => {
      const before = workspaceBytes();
      const lens = (await lensesOf(INT_SQL)).find(l => l.command?.command === 'dea.documentModel')!;
      const d = await decide(() => vscode.commands.executeCommand<Proposal>(lens.command!.command, ...lens.command!.arguments!), 'discard');
      assert.deepEqual(changedPaths(before, d.whileOpen), [], 'nothing written before the decision');
      assert.equal(d.result.status, 'rejected', d.result.message);
      assert.match(d.result.message, /^Rejected "Document int_customer_order_history": nothing was changed/);
      assert.match(d.planText ?? '', /# Document int_customer_order_history/);
      assert.match(d.planText ?? '', /customer_id.*unique/s, 'the plan shows the tests inferred from the data');
      assertSameBytes(before, 'after discarding');
    });

    it('approved: the YAML gets exactly the previewed entry (descriptions, tests), comments and the rest stay byte-identical; undo restores', async () => {
      // A hand-written comment on an untouched entry, and one at the end of the file.
      const commented = read(INT_YML).replace('      - name: gross_cents\n', '      - name: gross_cents  # before discounts, see int_order_totals\n') + '# end of the intermediate models\n';
      write(INT_YML, commented);
      await reindex();
      const before = workspaceBytes();
      const lens = (await lensesOf(INT_SQL)).find(l => l.command?.command === 'dea.documentModel')!;
      const d = await decide(() => vscode.commands.executeCommand<Proposal>(lens.command!.command, ...lens.command!.arguments!), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      const after = read(INT_YML);
      assert.ok(after.startsWith(commented.slice(0, commented.indexOf('# end of the intermediate models'))) || after.includes('# before discounts, see int_order_totals'));
      for (const line of commented.split('\n')) assert.ok(after.includes(line), `line kept: ${line}`);
      const entry = (parseDocument(after).toJS().models as { name: string; columns: { name: string; description?: string; data_tests?: unknown[] }[] }[])
        .find(m => m.name === 'int_customer_order_history');
      assert.ok(entry, 'the model has an entry');
      const key = entry.columns.find(c => c.name === 'customer_id')!;
      assert.deepEqual(key.data_tests, ['unique', 'not_null']);
      assert.ok(key.description, 'customer_id inherits its upstream description');
      assert.deepEqual(entry.columns.map(c => c.name), ['customer_id', 'first_ordered_at', 'most_recent_ordered_at', 'number_of_orders',
        'number_of_returned_orders', 'lifetime_subtotal_cents', 'lifetime_refunded_cents', 'lifetime_net_revenue_cents']);

      const editor = await openFile(INT_YML);
      await vscode.commands.executeCommand('undo');
      await waitFor('the undo', () => editor.document.getText() === commented);
      assert.ok(await editor.document.save());
      assertSameBytes(before, 'after undo and save');
    });
  });

  describe('every other action, decided in the preview', () => {
    it('Generate Tests from a seed entry\'s lens: data_tests inferred from the data, written exactly; the file\'s comments survive', async () => {
      const before = workspaceBytes();
      const lens = (await lensesOf(SEEDS_YML)).find(l => l.command?.command === 'dea.generateTests' && (l.command.arguments![0] as NodeRef).nodeId === 'seed.shopwise.raw_orders')!;
      const d = await decide(() => vscode.commands.executeCommand<Proposal>(lens.command!.command, ...lens.command!.arguments!), 'apply');
      assert.deepEqual(changedPaths(before, d.whileOpen), []);
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      const text = read(SEEDS_YML);
      assert.ok(text.includes('# The raw tables of this example, loaded by `dbt seed` into the raw schema.'), 'the header comment survives');
      const seed = (parseDocument(text).toJS().seeds as { name: string; columns?: { name: string; data_tests?: unknown[] }[] }[]).find(x => x.name === 'raw_orders')!;
      assert.deepEqual(seed.columns!.find(c => c.name === 'id')!.data_tests, ['unique', 'not_null']);
      assert.deepEqual(seed.columns!.find(c => c.name === 'status')!.data_tests, ['not_null', { accepted_values: { values: ['cancelled', 'completed', 'placed', 'returned', 'shipped'] } }]);
    });

    it('Rename Column across SQL and YAML: ticking one file applies only that file; ticking all writes exactly the plan', async () => {
      const before = workspaceBytes();
      const run = () => vscode.commands.executeCommand<Proposal>('dea.renameColumn', ref('model.shopwise.stg_shop__orders'), 'order_id', 'order_key');
      const partly = await decide(run, { tick: [0] });
      assert.equal(partly.result.status, 'applied', partly.result.message);
      const changed = changedPaths(before, workspaceBytes());
      assert.equal(changed.length, 1, `one file changed: ${changed.join(', ')}`);
      const expected = applyChanges(new Map([...before].map(([p, b]) => [p, b.toString('utf8')])), partly.result.plan.changes).files.get(changed[0]);
      assert.equal(read(changed[0]), expected, 'the ticked file is exactly as previewed');
      assert.equal(partly.result.skipped.length, partly.result.plan.changes.length - 1);
      assert.match(partly.result.message, /^Applied 1 of \d+ changes/);
      await restoreBytes(before);
      await reindex();

      const all = await decide(run, 'apply');
      assert.equal(all.result.status, 'applied', all.result.message);
      assert.ok(all.result.plan.changes.length >= 4, 'SQL and YAML files across the project');
      assertWroteExactly(all.result.plan, before);
      assert.match(read('models/staging/shop/stg_shop__orders.sql'), /as order_key/);
    });

    it('Rename Model: the file is renamed and every ref() follows, exactly as previewed', async () => {
      const before = workspaceBytes();
      const d = await decide(() => vscode.commands.executeCommand<Proposal>('dea.renameModel', ref('model.shopwise.int_order_totals'), 'int_order_amounts'), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      assert.ok(fs.existsSync(path.join(workspaceDir(), 'models/intermediate/int_order_amounts.sql')));
      assert.ok(!read('models/marts/core/fct_orders.sql').includes("ref('int_order_totals')"));
    });

    it('Replace hard-coded relations, offered by the lightbulb of a model that has one', async () => {
      const rel = 'models/marts/finance/order_customers.sql';
      write(rel, "select o.order_id, c.email\nfrom {{ ref('fct_orders') }} o\njoin raw.raw_customers c on c.id = o.customer_id\n");
      await reindex();
      const before = workspaceBytes();
      const action = (await actionsAt(rel, 2)).find(a => a.title.startsWith('DEA: Replace hard-coded relations'));
      assert.ok(action, 'offered by the lightbulb');
      const d = await decide(() => vscode.commands.executeCommand<Proposal>(action.command!.command, ...action.command!.arguments!), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      assert.equal(read(rel), "select o.order_id, c.email\nfrom {{ ref('fct_orders') }} o\njoin {{ source('shop', 'customers') }} c on c.id = o.customer_id\n");
    });

    it('Review Model: findings in the Problems panel; a finding\'s quick fix goes through the preview', async () => {
      const rel = 'models/marts/finance/order_payment_lines.sql';
      write(rel, ["{{ config(materialized='incremental') }}", '', "with orders as (select * from {{ ref('fct_orders') }})", '',
        'select *', 'from orders', 'join raw.raw_customers c on c.id = orders.customer_id', ''].join('\n'));
      await reindex();
      const summary = await vscode.commands.executeCommand<ReviewSummary>('dea.reviewModel', ref('model.shopwise.order_payment_lines'));
      const rules = summary.findings.map(f => f.rule);
      for (const r of ['undocumented-model', 'select-star-in-mart', 'hard-coded-relation', 'incremental-without-filter']) assert.ok(rules.includes(r), `${r} in ${rules.join(', ')}`);
      const diags = vscode.languages.getDiagnostics(fileUri(rel)).filter(d => d.source === 'DEA review');
      assert.equal(diags.length, summary.findings.length);
      const hard = diags.find(d => d.code === 'hard-coded-relation')!;
      assert.equal(hard.range.start.line, 6);
      const before = workspaceBytes();
      const fix = (await actionsAt(rel, 6, 5)).find(a => a.title.startsWith('Fix: '));
      assert.ok(fix, 'the lightbulb offers the fix');
      assert.equal(fix.kind?.value, 'quickfix.dea');
      const d = await decide(() => vscode.commands.executeCommand<Proposal>(fix.command!.command, ...fix.command!.arguments!), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      assert.match(read(rel), /join \{\{ source\('shop', 'customers'\) \}\} c/);
      await waitFor('the re-review without the fixed finding', () => !vscode.languages.getDiagnostics(fileUri(rel)).some(x => x.code === 'hard-coded-relation') || undefined);
    });

    it('New Staging Model from a source table: the SQL file and the YAML entry with tests, following the project\'s conventions', async () => {
      const src = 'models/staging/shop/_shop__sources.yml';
      write(src, read(src).replace('    tables:\n', '    tables:\n      - name: order_lines\n        identifier: raw_order_items\n        description: Order lines, as the storefront stores them.\n'));
      await reindex();
      const before = workspaceBytes();
      const d = await decide(() => vscode.commands.executeCommand<Proposal>('dea.newStagingModel', 'shop', 'order_lines'), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      const sql = read('models/staging/shop/stg_shop__order_lines.sql');
      assert.match(sql, /\{\{ source\('shop', 'order_lines'\) \}\}/);
      const models = parseDocument(read('models/staging/shop/_shop__models.yml')).toJS().models as { name: string }[];
      assert.ok(models.some(m => m.name === 'stg_shop__order_lines'));
    });

    it('Generate Airflow DAG into the dagsFolder setting; the DAG compiles with python3', async () => {
      await vscode.workspace.getConfiguration('dea').update('airflow.dagsFolder', 'orchestration/dags', vscode.ConfigurationTarget.Workspace);
      const before = workspaceBytes();
      const d = await decide(() => vscode.commands.executeCommand<Proposal>('dea.generateAirflowDag', 'per-model'), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assertWroteExactly(d.result.plan, before);
      const dag = read('orchestration/dags/dbt_shopwise.py');
      assert.match(dag, /BashOperator/);
      assert.ok(!d.result.plan.problems.some(p => /not syntax-checked/.test(p.message)), 'python3 checked it');
    });

    it('Explain Failing Tests from run_results.json: an accepted_values failure gets its fix proposed and applied', async () => {
      const yml = 'models/staging/shop/_shop__models.yml';
      const good = read(yml);
      write(yml, good.replace("values: ['placed', 'shipped', 'completed', 'returned', 'cancelled']", "values: ['placed', 'shipped', 'completed', 'returned']"));
      write('target/run_results.json', fs.readFileSync(path.resolve(__dirname, '../../../test/fixtures/edits/runResults-shopwise/run_results_v6.json'), 'utf8'));
      await reindex();
      const before = workspaceBytes();
      const id = 'test.shopwise.accepted_values_stg_shop__orders_order_status__placed__shipped__completed__returned.9d3b5a2e1f';
      const d = await decide(() => vscode.commands.executeCommand<Proposal>('dea.explainRunFailures', id), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assert.match(d.planText ?? '', /values outside the accepted list/);
      assertWroteExactly(d.result.plan, before);
      assert.equal(read(yml), good, 'exactly the missing value is added back');
    });

    it('Document All Undocumented Columns in a folder (explorer argument): one plan over the folder\'s YAML files', async () => {
      const before = workspaceBytes();
      const d = await decide(() => vscode.commands.executeCommand<Proposal>('dea.documentFolder', fileUri('models/marts')), 'apply');
      assert.equal(d.result.status, 'applied', d.result.message);
      assert.ok(d.result.plan.changes.every(c => c.path.startsWith('models/marts/')));
      assertWroteExactly(d.result.plan, before);
    });

    it('Optimize Model SQL with a language model: the proposed SQL, validated, written exactly', async () => {
      const sql = read(INT_SQL);
      const better = sql.replace("select * from {{ ref('stg_shop__orders') }}", "select customer_id, order_id, ordered_at, order_status from {{ ref('stg_shop__orders') }}");
      let fake: FakeOpenAi | undefined;
      try {
        fake = await startFakeOpenAi(() => ({ content: JSON.stringify({ sql: better, changes: [{ summary: 'read only the four columns used', reason: 'less data scanned from stg_shop__orders' }] }) }));
        const c = vscode.workspace.getConfiguration('dea');
        await c.update('openai.baseUrl', fake.url, vscode.ConfigurationTarget.Global);
        await c.update('openai.model', 'fake-optimizer', vscode.ConfigurationTarget.Global);
        await c.update('llm.provider', 'openai', vscode.ConfigurationTarget.Global);
        const api = await deaApi();
        await waitFor('the fake model', () => api.models.current.model?.id.startsWith('openai:fake-optimizer'));
        const before = workspaceBytes();
        const d = await decide(() => vscode.commands.executeCommand<Proposal>('dea.optimizeModel', ref('model.shopwise.int_customer_order_history')), 'apply');
        assert.equal(d.result.status, 'applied', d.result.message);
        assert.match(d.planText ?? '', /less data scanned/);
        assertWroteExactly(d.result.plan, before);
        assert.equal(read(INT_SQL), better);
      } finally {
        const c = vscode.workspace.getConfiguration('dea');
        for (const k of ['llm.provider', 'openai.baseUrl', 'openai.model']) await c.update(k, undefined, vscode.ConfigurationTarget.Global);
        await fake?.close();
      }
    });

    it('Optimize without a language model is not offered and says what to do', async () => {
      const before = workspaceBytes();
      const p = await vscode.commands.executeCommand<Proposal>('dea.optimizeModel', ref('model.shopwise.int_customer_order_history'));
      assert.equal(p.status, 'invalid');
      assert.match(p.message, /needs a language model/);
      assertSameBytes(before, 'invalid plan');
    });
  });

  describe('plans that are not offered', () => {
    it('a plan with an error (rename onto an existing model) is not shown; its problem is reported', async () => {
      const before = workspaceBytes();
      const p = await vscode.commands.executeCommand<Proposal>('dea.renameModel', ref('model.shopwise.int_order_totals'), 'int_order_payments');
      assert.equal(p.status, 'invalid');
      assert.match(p.message, /int_order_payments/);
      assertSameBytes(before, 'invalid plan');
    });

    it('a stale plan is planned again (never applied as it was); without a way to re-plan it is refused', async () => {
      const log = { info: () => undefined, warn: () => undefined, error: () => undefined, clean: (s: string) => s } as unknown as Log;
      const folder = vscode.workspace.workspaceFolders![0];
      const text = read(INT_SQL);
      const stale: EditPlan = { title: 'Stale edit', explanation: '', citations: [], problems: [],
        changes: [{ kind: 'modify', path: INT_SQL, before: `${text}-- an older text\n`, edits: [{ start: 0, end: 0, newText: '-- planned on an older text\n' }] }] };
      const before = workspaceBytes();
      const refused = await proposePlan(stale, { folder, origin: 'chat', log });
      assert.equal(refused.status, 'invalid');
      assert.match(refused.message, /changed since the plan was made; re-plan/);
      assertSameBytes(before, 'stale plan');
      let replanned = 0;
      const fresh: EditPlan = { ...stale, title: 'Fresh edit', changes: [{ kind: 'modify', path: INT_SQL, before: text, edits: [{ start: 0, end: 0, newText: '-- planned on the current text\n' }] }] };
      const d = await decide(() => proposePlan(stale, { folder, origin: 'chat', log, replan: async () => { replanned++; return fresh; } }), 'discard', { chat: true });
      assert.equal(replanned, 1);
      assert.equal(d.result.status, 'rejected');
      assert.equal(d.result.plan.title, 'Fresh edit', 'the re-made plan was the one shown');
      assertSameBytes(before, 'after discarding the re-made plan');
    });
  });

  describe('the chat API (dea.proposeEdit / EditActions.proposeFromChat)', () => {
    it('a chat proposal goes through the same preview and reports the rejection back', async () => {
      const before = workspaceBytes();
      const d = await decide(() => vscode.commands.executeCommand<ChatEditResult>('dea.proposeEdit', 'document', { node: 'int_customer_order_history' }), 'discard', { chat: true });
      assert.equal(d.result.status, 'rejected');
      assert.equal(d.result.title, 'Document int_customer_order_history');
      assert.match(d.result.explanation ?? '', /customer_id/);
      assertSameBytes(before, 'chat rejection');
    });

    it('unknown kinds and unknown targets come back as invalid, with what to do', async () => {
      const bogus = await vscode.commands.executeCommand<ChatEditResult>('dea.proposeEdit', 'paint', {});
      assert.equal(bogus.status, 'invalid');
      assert.match(bogus.message, /one of: document, documentRewrite/);
      const missing = await vscode.commands.executeCommand<ChatEditResult>('dea.proposeEdit', 'renameModel', { node: 'no_such_model', newName: 'x' });
      assert.equal(missing.status, 'invalid');
      assert.match(missing.message, /No model named "no_such_model"/);
      const nothing = await vscode.commands.executeCommand<ChatEditResult>('dea.proposeEdit', 'replaceHardcoded', { node: 'fct_orders' });
      assert.equal(nothing.status, 'nothing', nothing.message);
      assert.match(nothing.message, /reads no hard-coded schema\.table relation/);
    });
  });
});
