import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { after, before, describe, it } from 'mocha';
import { deaApi, fileUri, waitFor, workspaceDir } from './helpers';

const NEW_MODEL = 'models/marts/core/zz_order_flags.sql';

describe('incremental refresh', () => {
  before(async () => { await deaApi(); });
  after(async () => { try { await vscode.workspace.fs.delete(fileUri(NEW_MODEL)); } catch { /* already gone */ } });

  const downstreamOfOrders = async () => {
    const api = await deaApi();
    const snap = api.engines.all()[0].snapshot!;
    return snap.graph.downstream('model.shopwise.fct_orders', 1).map(h => h.node.name);
  };

  it('a created model file is indexed without a reindex', async () => {
    await vscode.workspace.fs.writeFile(fileUri(NEW_MODEL), Buffer.from("select order_id from {{ ref('fct_orders') }}\n"));
    await waitFor('zz_order_flags downstream of fct_orders', async () => (await downstreamOfOrders()).includes('zz_order_flags'));
    const api = await deaApi();
    const last = api.engines.all()[0].lastRefresh!;
    assert.ok(last.embedded >= 1 && last.embedded < 10, `only the new documents are embedded (${last.embedded})`);
  });

  it('an edit saved in the editor updates the lineage', async () => {
    const doc = await vscode.workspace.openTextDocument(fileUri(NEW_MODEL));
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), "select customer_id from {{ ref('dim_customers') }}\n");
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    await waitFor('zz_order_flags to move under dim_customers', async () => {
      const api = await deaApi();
      const snap = api.engines.all()[0].snapshot!;
      return !(await downstreamOfOrders()).includes('zz_order_flags') && snap.graph.downstream('model.shopwise.dim_customers', 1).some(h => h.node.name === 'zz_order_flags');
    });
  });

  it('a deleted file leaves the index', async () => {
    await vscode.workspace.fs.delete(fileUri(NEW_MODEL));
    await waitFor('zz_order_flags to be gone', async () => {
      const api = await deaApi();
      return !api.engines.all()[0].snapshot!.graph.nodes().some(n => n.name === 'zz_order_flags');
    });
  });

  it('a branch switch with a new commit reaches the git history', async () => {
    const api = await deaApi();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceDir(), encoding: 'utf8' });
    git('checkout', '-q', '-b', 'feature/flags');
    // A file no file watcher looks at: only the .git watcher can notice this commit.
    fs.writeFileSync(path.join(workspaceDir(), 'flags-notes.txt'), 'flags\n');
    git('add', 'flags-notes.txt');
    git('-c', 'user.name=Cy Coder', '-c', 'user.email=cy@shopwise.example', 'commit', '-q', '-m', 'Start the flags feature');
    await waitFor('the new commit in the history', () => api.engines.all()[0].snapshot!.historyData.commits.some(c => c.subject === 'Start the flags feature'));
    git('checkout', '-q', 'main');
    await waitFor('the history of main again', () => !api.engines.all()[0].snapshot!.historyData.commits.some(c => c.subject === 'Start the flags feature'));
  });
});
