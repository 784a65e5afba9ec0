// A multi-root workspace in the real extension host (opened from a .code-workspace file): the shopwise example, a
// second small dbt project ("support", test/fixtures/vscode/helpdesk) and a folder of notes without a dbt project.
// One engine per folder, both projects indexed, the notes folder reported as having no project (no error),
// questions answered by the active editor's folder, citations opened in the folder that answered, code lenses
// in both projects, the status bar counting both, and a project that appears later being picked up.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { before, describe, it } from 'mocha';
import { isMap, isSeq, parseDocument } from 'yaml';
import { deaApi, EXTENSION_ID, waitFor } from '../exthost/helpers';

type Name = 'shopwise' | 'support' | 'notes';
const folders = JSON.parse(process.env.DEA_TEST_FOLDERS ?? '{}') as Record<Name, string>;
const SHARED_YAML = 'models/marts/core/_core__models.yml';

function wsFolder(name: Name): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find(w => w.name === name);
  assert.ok(f, `no workspace folder ${name}`);
  return f;
}

const uri = (name: Name, rel: string) => vscode.Uri.file(path.join(folders[name], ...rel.split('/')));

async function open(name: Name, rel: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri(name, rel)));
}

async function lensTitles(name: Name, rel: string): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(uri(name, rel));
  const got = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri(name, rel), 100);
  return got.filter(l => l.command?.title);
}

/** .sql files under a folder's models/ (counted on disk, independently of the engine). */
function modelFiles(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? modelFiles(path.join(dir, e.name)) : e.name.endsWith('.sql') ? 1 : 0), 0);
}

const engineOf = async (name: Name) => (await deaApi()).engines.all().find(e => e.folder.name === name);

describe('multi-root workspace', () => {
  before(async () => { await deaApi(); });

  it('opens the .code-workspace file with its three folders and activates on the dbt folders in it', async () => {
    assert.equal(vscode.workspace.workspaceFile?.fsPath, process.env.DEA_TEST_WORKSPACE_FILE);
    assert.deepEqual(vscode.workspace.workspaceFolders?.map(f => f.name), ['shopwise', 'support', 'notes']);
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
  });

  it('runs one engine per folder: both dbt folders index their own project; the notes folder has none and no error', async () => {
    const api = await deaApi();
    const byName = Object.fromEntries(api.engines.all().map(e => [e.folder.name, e]));
    assert.deepEqual(Object.keys(byName).sort(), ['notes', 'shopwise', 'support']);
    assert.deepEqual(Object.fromEntries(Object.entries(byName).map(([n, e]) => [n, e.state])), { shopwise: 'ready', support: 'ready', notes: 'no-project' });
    for (const e of api.engines.all()) {
      assert.equal(e.error, undefined, `${e.folder.name}: ${e.error}`);
      assert.deepEqual(e.errors, [], `${e.folder.name} logged errors`);
    }
    const { shopwise, support, notes } = byName;
    assert.deepEqual(shopwise.status()?.projects.map(p => p.name), ['shopwise']);
    assert.deepEqual(support.status()?.projects.map(p => p.name), ['helpdesk']);
    assert.notEqual(shopwise.status()?.indexDir, support.status()?.indexDir, 'each folder has its own index');
    const models = (e: typeof shopwise) => e.snapshot!.graph.nodes().filter(n => n.resourceType === 'model');
    assert.equal(models(shopwise).length, modelFiles(path.join(folders.shopwise, 'models')));
    assert.equal(models(support).length, modelFiles(path.join(folders.support, 'models')));
    assert.ok(!support.snapshot!.graph.resolve('fct_orders') && !shopwise.snapshot!.graph.resolve('fct_tickets'), 'the projects stay apart');
    assert.equal(support.status()?.history.commits, 1, 'the support folder reads its own git history');
    assert.equal(notes.snapshot, undefined);
    // The diagnostics say it in words, with no error for the notes folder.
    const md = api.diagnostics.provideTextDocumentContent();
    assert.match(md, /## Folder notes\n\n- path: `[^`]+notes`\n- state: \*\*no-project\*\*\n/);
    assert.match(md, /## Folder support[\s\S]*- helpdesk at `\.`: \d+ nodes/);
  });

  it('the status bar counts both projects by folder, and says the notes folder has no dbt project', async () => {
    const api = await deaApi();
    const count = async (name: Name) => {
      const e = (await engineOf(name))!;
      return { models: e.snapshot!.graph.nodes().filter(n => n.resourceType === 'model').length, docs: e.status()!.documents };
    };
    const s = await count('shopwise'), t = await count('support');
    const summary = api.status.summary();
    assert.equal(summary.state, 'ready');
    assert.equal(summary.text, `shopwise: ${s.models} models · ${s.docs} docs · support: ${t.models} models · ${t.docs} docs`);
    const shown = api.status.shown;
    assert.match(shown.text, /^\$\(database\) DEA: ready/);
    assert.ok(shown.tooltip.includes(`shopwise: ready — ${s.models} models · ${s.docs} docs`), shown.tooltip);
    assert.ok(shown.tooltip.includes(`support: ready — ${t.models} models · ${t.docs} docs`), shown.tooltip);
    assert.match(shown.tooltip, /notes: no dbt\\?_project\\?\.yml/);
  });

  it('questions go to the folder of the active editor', async () => {
    const api = await deaApi();
    await open('support', 'models/marts/core/fct_tickets.sql');
    assert.equal(api.engines.active()?.folder.name, 'support');
    const tickets = await api.chat.ask('What feeds fct_tickets?');
    assert.ok(tickets);
    assert.equal(tickets.mode, 'offline', tickets.answer);
    assert.equal(tickets.folder, wsFolder('support').uri.toString());
    assert.deepEqual(tickets.citations.slice(0, 3).map(c => c.path), ['models/marts/core/fct_tickets.sql', 'models/staging/stg_tickets.sql', 'models/staging/stg_agents.sql']);

    await open('shopwise', 'models/marts/core/fct_orders.sql');
    assert.equal(api.engines.active()?.folder.name, 'shopwise');
    const elsewhere = await api.chat.ask('What feeds fct_tickets?');
    assert.equal(elsewhere?.citations.length, 0, 'shopwise does not know fct_tickets');
    assert.match(elsewhere?.answer ?? '', /could not find `fct_tickets`/);
    const orders = await api.chat.ask('What feeds fct_orders?');
    assert.equal(orders?.folder, wsFolder('shopwise').uri.toString());
    assert.ok(orders?.citations.some(c => /^models\/(intermediate|staging)\//.test(c.path)), orders?.answer);

    // An editor in the folder without a project: the question still gets an answer (from the first indexed folder), not an error.
    await open('notes', 'README.md');
    assert.equal(api.engines.forUri(uri('notes', 'README.md'))?.state, 'no-project');
    const fromNotes = await api.chat.ask('What feeds fct_orders?');
    assert.equal(fromNotes?.mode, 'offline', fromNotes?.answer);
    assert.equal(fromNotes?.folder, wsFolder('shopwise').uri.toString());
  });

  it('a citation opens in the folder that answered, though another folder has a file at the same path', async () => {
    const api = await deaApi();
    assert.ok(fs.existsSync(uri('shopwise', SHARED_YAML).fsPath) && fs.existsSync(uri('support', SHARED_YAML).fsPath), 'both folders hold the file');
    await open('support', 'models/marts/core/fct_tickets.sql');
    const turn = await api.chat.ask('Which tests cover fct_tickets?');
    const cite = turn?.citations.find(c => c.path === SHARED_YAML);
    assert.ok(turn && cite, `no citation of ${SHARED_YAML}: ${turn?.citations.map(c => c.path).join(', ')}`);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The view's message for a chip click, through the same protocol check and handler the webview uses.
    await api.chatView.receive({ type: 'openCitation', citation: cite, turnId: turn.id });
    const editor = await waitFor('the cited file to open', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.fsPath, uri('support', SHARED_YAML).fsPath);
    assert.equal(editor.selection.active.line + 1, cite.startLine, 'at the cited line');
    assert.match(editor.document.lineAt(cite.startLine! - 1).text, /ticket_id|fct_tickets|unique|not_null/);
  });

  it('code lenses work in both projects, each from its own graph and history; none in the notes folder', async () => {
    const support = (await lensTitles('support', 'models/marts/core/fct_tickets.sql')).map(l => l.command!.title);
    assert.ok(support.includes('↑2 upstream · ↓0 downstream'), support.join(' | '));
    assert.ok(support.includes('2 tests'), support.join(' | '));
    assert.ok(support.includes('2 days ago · Cy Support'), support.join(' | '));
    assert.ok(support.includes('Ask') && support.includes('Explain'));
    const lineage = (await lensTitles('support', 'models/marts/core/fct_tickets.sql')).find(l => l.command!.command === 'dea.showLineage')!;
    assert.deepEqual(lineage.command!.arguments![0], { folder: wsFolder('support').uri.toString(), nodeId: 'model.helpdesk.fct_tickets' });

    const shopwise = (await lensTitles('shopwise', 'models/marts/core/fct_orders.sql')).map(l => l.command!.title);
    assert.ok(shopwise.includes('3 days ago · Bo Builder'), shopwise.join(' | '));
    assert.ok(shopwise.some(t => /^↑\d+ upstream · ↓\d+ downstream$/.test(t)));

    // The YAML file at the same path in both folders: each gets its own project's column counts.
    for (const name of ['support', 'shopwise'] as const) {
      const doc = parseDocument(fs.readFileSync(uri(name, SHARED_YAML).fsPath, 'utf8')).get('models');
      assert.ok(isSeq(doc));
      const first = doc.items.find(isMap)!;
      const cols = first.get('columns');
      const items = isSeq(cols) ? cols.items.filter(isMap) : [];
      const documented = items.filter(c => String(c.get('description') ?? '').trim()).length;
      const lenses = (await lensTitles(name, SHARED_YAML)).filter(l => l.command!.command === 'dea.showColumns');
      assert.ok(lenses.some(l => l.command!.title.startsWith(`${documented}/${items.length} columns documented`)),
        `${name} ${first.get('name')}: ${lenses.map(l => l.command!.title).join(' | ')}`);
    }
    assert.deepEqual(await lensTitles('notes', 'runbook.sql'), []);
  });

  it('a dbt project created in the notes folder is found and indexed', async function () {
    this.timeout(60_000);
    const dir = folders.notes;
    fs.mkdirSync(path.join(dir, 'models'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'models', 'meeting_counts.sql'), 'select 1 as meetings\n');
    fs.writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: notes\nversion: "0.1.0"\nconfig-version: 2\nprofile: notes\n');
    const notes = (await engineOf('notes'))!;
    await waitFor('the notes folder to be indexed', () => notes.state === 'ready' && notes.snapshot, 45_000);
    assert.deepEqual(notes.status()?.projects.map(p => p.name), ['notes']);
    assert.ok(notes.snapshot!.graph.resolve('meeting_counts'));
    const api = await deaApi();
    await waitFor('the status bar to count three folders', () => /· notes: 1 model · \d+ docs?$/.test(api.status.summary().text) || undefined, 10_000);
  });
});
