// The warehouse tools for VS Code's agent mode (package.json languageModelTools): dea_list_schemas, dea_list_tables,
// dea_describe_table, dea_sample_data, dea_execute_query. Each runs the analytics agent's own tool from core (same
// guard, limits, masking and quoting); dea_execute_query first has VS Code ask the user, showing the SQL, unless
// the user allowed read-only queries without asking.
import * as vscode from 'vscode';
import { sqlFence } from '../../core/agent/answer';
import { WAREHOUSE_TOOLS, toolByName, type AgentTool } from '../../core/agent/tools';
import { runToolOnce } from '../../core/agent/tools/runOnce';
import { checkReadOnly } from '../../core/sql/guard';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { Log } from '../log';
import { readSettings } from '../settings';
import { confirmQueryModal } from './confirmQuery';
import type { WarehouseAccess } from './warehouseAccess';

export type ToolInput = Record<string, unknown>;

/** VS Code tool name → the core tool it runs. */
export const WAREHOUSE_TOOL_NAMES = Object.fromEntries(WAREHOUSE_TOOLS.map(t => [`dea_${t.spec.name}`, t.spec.name])) as Record<string, string>;

const MESSAGES: Record<string, (i: ToolInput) => string> = {
  list_schemas: () => 'Listing the warehouse schemas',
  list_tables: i => `Listing warehouse tables${typeof i.schema === 'string' && i.schema ? ` of ${i.schema}` : ''}`,
  describe_table: i => `Describing ${String(i.table ?? 'a table')}`,
  sample_data: i => `Sampling rows of ${String(i.table ?? 'a table')}`,
  execute_query: () => 'Running a read-only query',
};

export function warehouseTools(engines: WorkspaceEngines, access: WarehouseAccess, log: Log): Record<string, vscode.LanguageModelTool<ToolInput>> {
  return Object.fromEntries(Object.entries(WAREHOUSE_TOOL_NAMES).map(([vsName, coreName]) => [vsName, lmTool(toolByName(coreName)!, engines, access, log)]));
}

export function registerWarehouseTools(tools: Record<string, vscode.LanguageModelTool<ToolInput>>): vscode.Disposable {
  return vscode.Disposable.from(...Object.entries(tools).map(([name, tool]) => vscode.lm.registerTool<ToolInput>(name, tool)));
}

function lmTool(tool: AgentTool, engines: WorkspaceEngines, access: WarehouseAccess, log: Log): vscode.LanguageModelTool<ToolInput> {
  const name = tool.spec.name;
  /** Statements VS Code showed the user for confirmation (prepareInvocation) and that have not run yet. */
  const confirmed = new Set<string>();
  return {
    async prepareInvocation(options) {
      const input = options.input ?? {};
      const invocationMessage = MESSAGES[name]?.(input) ?? name;
      if (name !== 'execute_query' || readSettings().allowReadOnlyWithoutAsking) return { invocationMessage };
      const sql = typeof input.sql === 'string' ? input.sql : '';
      const folder = engines.active();
      const r = folder ? await access.resolve(folder) : undefined;
      // Nothing to confirm when it cannot run: the invocation reports why (no warehouse, refused by the guard).
      if (!sql.trim() || !r?.ok || !(await checkReadOnly(sql, r.dialect)).ok) return { invocationMessage };
      confirmed.add(sql);
      return {
        invocationMessage,
        confirmationMessages: {
          title: 'Run this read-only query?',
          message: new vscode.MarkdownString(`The Data Engineering Agent will run this query on **${escapeMd(r.label)}** (read-only, at most `
            + `${readSettings().sqlMaxRows} rows):\n\n${sqlFence(sql)}`),
        },
      };
    },
    async invoke(options, token) {
      const input = options.input ?? {};
      const sql = typeof input.sql === 'string' ? input.sql : '';
      // A query VS Code did not confirm (the caller skipped prepareInvocation, or things changed since) is asked here.
      const ask = name === 'execute_query' && !readSettings().allowReadOnlyWithoutAsking && !confirmed.delete(sql);
      const text = await run(tool, input, engines, access, token, ask);
      log.info(`agent-mode tool ${name}: ${text.split('\n')[0].slice(0, 160)}`);
      return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
    },
  };
}

async function run(tool: AgentTool, input: ToolInput, engines: WorkspaceEngines, access: WarehouseAccess, token: vscode.CancellationToken,
  ask: boolean): Promise<string> {
  const folder = engines.active();
  const engine = await folder?.get();
  if (!folder || !engine) return 'No dbt project is indexed in this workspace: open a folder with a dbt_project.yml.';
  const r = await access.resolve(folder, engine);
  if (!r.ok) return `The warehouse is not available: ${r.message}`;
  const abort = new AbortController();
  const cancel = token.onCancellationRequested(() => abort.abort());
  const s = readSettings(folder.folder);
  try {
    const out = await runToolOnce(tool.spec.name, input, {
      engine, warehouse: { dialect: r.dialect, open: r.open }, signal: abort.signal,
      // VS Code already asked the user (prepareInvocation) unless they allowed read-only queries without asking.
      settings: {
        maxRows: s.sqlMaxRows, timeoutMs: s.sqlTimeoutSeconds * 1000, allowPersonalData: s.sendPersonalDataToModel,
        ...(ask ? { confirmQuery: (statement: string) => confirmQueryModal(statement, r.label) } : {}),
      },
    });
    return out.text;
  } finally {
    cancel.dispose();
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
