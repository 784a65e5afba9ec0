// Explain (grounded context) and optimize (LLM proposal → validated plan). The language model is replaced by a
// scripted ChatModel: what is under test is the context it is given and how its answer is checked and diffed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyExample, type ExampleCopy } from '../../support/example';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { WorkspaceLoader } from '../../../src/core/workspace/load';
import type { ChatMessage, ChatModel, ChatResult } from '../../../src/core/llm/types';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditEngine } from '../../../src/core/edits/refactorContext';
import { explainModelContext } from '../../../src/core/edits/explain';
import { planOptimization } from '../../../src/core/edits/optimize';

class ScriptedModel implements ChatModel {
  readonly id = 'scripted:test';
  readonly seen: ChatMessage[][] = [];
  constructor(private readonly reply: (messages: ChatMessage[]) => string) {}
  async chat(messages: ChatMessage[]): Promise<ChatResult> {
    this.seen.push(messages);
    return { content: this.reply(messages), toolCalls: [] };
  }
}

const REL = 'models/marts/finance/monthly_revenue.sql';
const NARROW = "    select\n        order_date, customer_id, is_first_order, gross_amount, discount_amount,\n        amount_refunded, net_revenue, shipping_amount, cost_of_goods\n    from {{ ref('fct_orders') }}";

describe('explain and optimize a model', () => {
  let ex: ExampleCopy;
  let engine: EditEngine;
  let original: string;
  before(async () => {
    ex = copyExample();
    await ensureExampleWarehouse(ex.dir);
    const loader = new WorkspaceLoader(ex.dir);
    engine = { snapshot: () => loader.load() };
    original = fs.readFileSync(path.join(ex.dir, REL), 'utf8');
  });
  after(() => ex.cleanup());

  test('the explanation context: facts from the YAML, lineage, warehouse and git, each with a valid citation', async () => {
    const ctx = await explainModelContext(engine, 'fct_orders');
    assert.equal(ctx.node?.uniqueId, 'model.shopwise.fct_orders');
    assert.ok(ctx.facts.every(f => f.cite >= 1 && f.cite <= ctx.citations.length));
    const fact = (re: RegExp) => ctx.facts.find(f => re.test(f.text));
    const citeOf = (re: RegExp) => ctx.citations[fact(re)!.cite - 1];
    assert.equal(citeOf(/materialized as incremental; unique_key order_id/).path, 'models/marts/core/fct_orders.sql');
    assert.ok(fact(/Grain: one row per order_id/));
    assert.equal(citeOf(/Reads model `stg_shop__orders`/).path, 'models/staging/shop/stg_shop__orders.sql');
    assert.ok(fact(/Used by model `monthly_revenue`/));
    assert.equal(citeOf(/Column `net_revenue`/).path, 'models/marts/core/_core__models.yml');
    assert.match(fact(/In the warehouse it is the table shopwise\.marts\.fct_orders with \d+ rows/)!.text, /order_id INTEGER/);
    const last = citeOf(/Last changed by Cy Checker/);
    assert.equal(last.kind, 'commit');
    assert.match(last.commit!, /^[0-9a-f]{40}$/);
    assert.match(ctx.text, /Code of fct_orders \[1\]:\n```sql\n {2}1 {2}\{\{/);
    assert.equal(ctx.messages[0].role, 'system');
    assert.match(ctx.messages[0].content, /cite every claim/);
    assert.ok(ctx.messages[1].content.includes(ctx.text));
    const missing = await explainModelContext(engine, 'no_such_model');
    assert.match(missing.problem!, /No model/);
  });

  test('a valid proposal becomes a minimal, validated edit with the reason per change', async () => {
    const llm = new ScriptedModel(() => 'Here you go:\n```json\n' + JSON.stringify({
      sql: original.replace("    select * from {{ ref('fct_orders') }}", NARROW),
      changes: [{ summary: 'Read only the nine columns used', reason: 'fct_orders has 26 columns; a columnar warehouse scans less.' }],
    }) + '\n```');
    const plan = await planOptimization(engine, 'monthly_revenue', llm);
    assert.deepEqual(plan.problems, []);
    assert.equal(plan.changes.length, 1);
    const c = plan.changes[0];
    assert.ok(c.kind === 'modify' && c.path === REL);
    assert.equal(c.edits.length, 1, 'one hunk');
    assert.ok(c.edits[0].end - c.edits[0].start < 20, 'only the changed characters are replaced');
    assert.equal(applyChanges(new Map([[REL, original]]), plan.changes).files.get(REL), original.replace("    select * from {{ ref('fct_orders') }}", NARROW));
    assert.match(plan.explanation, /\*\*Read only the nine columns used\*\* — fct_orders has 26 columns/);
    const prompt = llm.seen[0][1].content;
    assert.ok(prompt.includes(original), 'the model saw the exact file');
    assert.match(prompt, /Reads model `fct_orders`/);
  });

  test('proposals that break the model are reported, never shown as ready', async () => {
    const propose = (sql: string) => new ScriptedModel(() => JSON.stringify({ sql, changes: [{ summary: 'x', reason: 'y' }] }));
    const typo = await planOptimization(engine, 'monthly_revenue', propose(original.replace("ref('fct_orders')", "ref('fct_order')")));
    assert.ok(typo.problems.some(p => p.severity === 'error' && /ref\('fct_order'\), which does not resolve/.test(p.message)));
    assert.ok(typo.problems.some(p => p.severity === 'warning' && /lineage changes \(\+ref\('fct_order'\), -ref\('fct_orders'\)\)/.test(p.message)));

    const syntax = await planOptimization(engine, 'monthly_revenue', propose(original.replace('    group by 1', '    group by 1 (')));
    assert.ok(syntax.problems.some(p => p.severity === 'error' && /The SQL does not parse/.test(p.message)));

    const columns = await planOptimization(engine, 'monthly_revenue', propose(original.replace('    cost_of_goods,\n    cast(', '    cast(')));
    assert.ok(columns.problems.some(p => p.severity === 'error' && /output columns change/.test(p.message)));

    const jinja = await planOptimization(engine, 'monthly_revenue', propose(original.replace("{{ ref('fct_orders') }}", "{{ ref('fct_orders') }")));
    assert.ok(jinja.problems.some(p => p.severity === 'error' && /Jinja/.test(p.message)));

    const prose = await planOptimization(engine, 'monthly_revenue', new ScriptedModel(() => 'I would push the filter down.'));
    assert.equal(prose.changes.length, 0);
    assert.match(prose.problems[0].message, /not the JSON asked for/);

    const none = await planOptimization(engine, 'monthly_revenue', new ScriptedModel(() => '{"sql": null, "changes": []}'));
    assert.deepEqual([none.changes.length, none.problems.length], [0, 0]);
    assert.match(none.explanation, /no change/);
  });
});
