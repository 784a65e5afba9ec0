import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { before, describe, it } from 'mocha';
import { parseDocument, isMap, isSeq } from 'yaml';
import { deaApi, fileUri } from './helpers';

async function lenses(rel: string): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(fileUri(rel)); // the provider command needs the document loaded
  const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri(rel), 100);
  return got.filter(l => l.command?.command.startsWith('dea.') || l.command?.title);
}

describe('code lenses', () => {
  before(async () => { await deaApi(); });

  it('a model .sql file shows lineage counts, tests, last change, Ask and Explain', async () => {
    const rel = 'models/marts/core/fct_orders.sql';
    const titles = (await lenses(rel)).map(l => l.command!.title);
    const sql = fs.readFileSync(fileUri(rel).fsPath, 'utf8');
    // Parents written in the file itself, counted independently of the engine.
    const parents = new Set([...sql.matchAll(/\{\{\s*(ref|source)\(([^)]*)\)/g)].map(m => m[2].replace(/\s|["']/g, '')));
    const lineage = titles.find(t => /^↑\d+ upstream · ↓\d+ downstream$/.test(t));
    assert.ok(lineage, `lineage lens missing: ${titles.join(' | ')}`);
    assert.equal(Number(/↑(\d+)/.exec(lineage)![1]), parents.size);
    assert.ok(titles.some(t => /^\d+ tests?$|^no tests$/.test(t)));
    assert.ok(titles.includes('3 days ago · Bo Builder'), `last-change lens: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Ask') && titles.includes('Explain'));
    const last = (await lenses(rel)).find(l => l.command!.title === '3 days ago · Bo Builder')!;
    assert.equal(last.command!.command, 'dea.openCommit');
    assert.equal(last.command!.arguments![1], process.env.DEA_TEST_HEAD);
  });

  it('a model untouched since the first commit shows its older change and author', async () => {
    const titles = (await lenses('models/staging/shop/stg_shop__orders.sql')).map(l => l.command!.title);
    assert.ok(titles.some(t => /^(1 month|40 days|5 weeks) ago · Ada Analyst$|^\d+ (weeks?|months?) ago · Ada Analyst$/.test(t)), titles.join(' | '));
  });

  it('YAML model entries show documented / undocumented column counts matching the file', async () => {
    const rel = 'models/marts/core/_core__models.yml';
    const text = fs.readFileSync(fileUri(rel).fsPath, 'utf8');
    const doc = parseDocument(text);
    const models = doc.get('models');
    assert.ok(isSeq(models));
    const got = await lenses(rel);
    let checked = 0;
    for (const m of models.items) {
      if (!isMap(m)) continue;
      const name = String(m.get('name'));
      const cols = m.get('columns');
      const items = isSeq(cols) ? cols.items.filter(isMap) : [];
      const documented = items.filter(c => String(c.get('description') ?? '').trim()).length;
      const line = text.slice(0, m.range![0]).split('\n').length - 1;
      const lens = got.find(l => Math.abs(l.range.start.line - line) <= 1 && l.command!.command === 'dea.showColumns');
      assert.ok(lens, `no column lens for ${name} near line ${line + 1}: ${got.map(l => `${l.range.start.line}:${l.command!.title}`).join(' | ')}`);
      assert.match(lens.command!.title, new RegExp(`^${documented}/${items.length} columns documented`), name);
      checked++;
    }
    assert.ok(checked >= 3, `checked ${checked} models`);
  });

  it('source entries get lenses too', async () => {
    const got = await lenses('models/staging/shop/_shop__sources.yml');
    assert.ok(got.some(l => l.command!.command === 'dea.showColumns'), 'no lens on sources');
  });
});
