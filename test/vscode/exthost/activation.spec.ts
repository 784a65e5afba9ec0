import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { deaApi, EXTENSION_ID, folder } from './helpers';

describe('activation and indexing', () => {
  it('activates on the dbt workspace by itself (workspaceContains:dbt_project.yml)', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // No test code activated it yet: the workspaceContains event did.
    for (let i = 0; i < 100 && !ext.isActive; i++) await new Promise(r => setTimeout(r, 100));
    assert.equal(ext.isActive, true);
  });

  it('indexes the example project in the background: projects, nodes, documents, git history', async () => {
    const api = await deaApi();
    const [engine] = api.engines.all();
    assert.equal(engine.state, 'ready', engine.error);
    const s = engine.status();
    assert.ok(s);
    assert.deepEqual(s.projects.map(p => p.name), ['shopwise']);
    const modelFiles = countFiles(`${folder().uri.fsPath}/models`, '.sql');
    const models = engine.snapshot!.graph.nodes().filter(n => n.resourceType === 'model');
    assert.equal(models.length, modelFiles, 'one model per .sql file under models/');
    assert.ok(s.documents >= modelFiles, `documents ${s.documents}`);
    assert.equal(s.history.commits, 2);
    assert.equal(s.embedder.kind, 'hashed', 'the workspace setting dea.embeddings.kind = hashed is used');
  });
});

function countFiles(dir: string, ext: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countFiles(`${dir}/${e.name}`, ext);
    else if (e.name.endsWith(ext)) n++;
  }
  return n;
}
