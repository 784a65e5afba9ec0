// Language-model tools so agent mode (and any participant) can drill into the index: search, lineage, history.
// Declared in package.json (languageModelTools) and registered here under the same names; each runs the analytics
// agent's own project tool from core (same limits, and repository text quoted as data).
import * as vscode from 'vscode';
import { runToolOnce } from '../core/agent/tools/runOnce';
import type { WorkspaceEngines } from './engines/workspaceEngines';

type Input = Record<string, unknown>;

/** VS Code tool name → the core tool it runs, and what VS Code shows while it runs. */
const TOOLS: Record<string, { core: string; message: (i: Input) => string }> = {
  dea_search: { core: 'search', message: i => `Searching the dbt index for "${String(i.query ?? '')}"` },
  dea_lineage: { core: 'lineage', message: i => `Reading the lineage of ${String(i.model ?? 'a model')}` },
  dea_history: { core: 'history', message: i => `Reading the git history of ${String(i.model ?? 'a model')}` },
};

export const TOOL_NAMES = Object.keys(TOOLS);

export function registerTools(engines: WorkspaceEngines): vscode.Disposable {
  return vscode.Disposable.from(...Object.entries(TOOLS).map(([name, t]) => vscode.lm.registerTool<Input>(name, {
    prepareInvocation: o => ({ invocationMessage: t.message(o.input ?? {}) }),
    invoke: async (o, token) => {
      const engine = await engines.active()?.get();
      if (!engine) return result('No dbt project is indexed in this workspace: open a folder with a dbt_project.yml.');
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        return result((await runToolOnce(t.core, o.input ?? {}, { engine, signal: abort.signal })).text);
      } finally {
        cancel.dispose();
      }
    },
  })));
}

function result(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}
