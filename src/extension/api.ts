// What activate() returns: the live parts, for the extension-host tests (and other extensions, read-only use).
import type * as vscode from 'vscode';
import type { ChatController } from './chat/chatController';
import type { ChatViewProvider } from './chat/chatViewProvider';
import type { DiagnosticsProvider } from './diagnostics/diagnosticsDocument';
import type { RegisteredEdits } from './edits/registerEdits';
import type { WorkspaceEngines } from './engines/workspaceEngines';
import type { ModelManager } from './llm/modelManager';
import type { IndexStatusBar } from './statusBar';
import type { WarehouseAccess } from './warehouse/warehouseAccess';
import type { ToolInput } from './warehouse/warehouseTools';

export interface DeaApi {
  engines: WorkspaceEngines;
  chat: ChatController;
  chatView: ChatViewProvider;
  models: ModelManager;
  diagnostics: DiagnosticsProvider;
  /** The status-bar item (indexing, ready with counts per folder, model unavailable, error). */
  status: IndexStatusBar;
  participant?: vscode.ChatParticipant;
  /** Resolves once the first index of every folder finished (or failed). */
  started: Promise<void>;
  warehouses: WarehouseAccess;
  /** The agent-mode warehouse tools by their registered name (dea_list_schemas, …, dea_execute_query). */
  warehouseTools: Record<string, vscode.LanguageModelTool<ToolInput>>;
  /** The approvable actions (plan, propose) and reviews, as the chat and the palette reach them. */
  edits: RegisteredEdits;
}
