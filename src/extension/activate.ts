// Entry point: wires the engines, the chat view, commands, lenses, the chat participant and tools together.
// Indexing starts in the background; activation returns at once.
import * as vscode from 'vscode';
import type { DeaApi } from './api';
import { ChatController } from './chat/chatController';
import { CHAT_VIEW_ID, ChatViewProvider } from './chat/chatViewProvider';
import { ConversationStore } from './chat/conversationStore';
import { snapshotChanges } from './codeLens/lensRefresh';
import { ModelLensProvider } from './codeLens/modelLenses';
import { YamlLensProvider } from './codeLens/yamlLenses';
import { registerCommands } from './commands/register';
import { COMMIT_SCHEME, CommitDocumentProvider } from './commitDocument';
import { DiagnosticsProvider } from './diagnostics/diagnosticsDocument';
import { registerEdits } from './edits/registerEdits';
import { WorkspaceEngines } from './engines/workspaceEngines';
import { ModelManager } from './llm/modelManager';
import { Log } from './log';
import { registerParticipant } from './participant';
import { ApiKeyStore } from './secrets';
import { ENGINE_SETTINGS, readSettings } from './settings';
import { IndexStatusBar } from './statusBar';
import { registerTools } from './tools';
import { watchWorkspace } from './watchers';
import { watchDuckDbPath } from './warehouse/duckdbPathCheck';
import { WarehouseAccess } from './warehouse/warehouseAccess';
import { WarehouseSecrets } from './warehouse/warehouseSecrets';
import { registerWarehouseTools, warehouseTools } from './warehouse/warehouseTools';

let current: { engines: WorkspaceEngines } | undefined;

export function activate(context: vscode.ExtensionContext): DeaApi {
  const log = new Log();
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '?');
  log.info(`Data Engineering Agent ${version} activating (VS Code ${vscode.version})`);
  const keys = new ApiKeyStore(context.secrets);
  const warehouseSecrets = new WarehouseSecrets(context.secrets);
  const engines = new WorkspaceEngines(log, () => warehouseSecrets.all());
  const models = new ModelManager(keys, log);
  const status = new IndexStatusBar(engines, models);
  const store = new ConversationStore(context.workspaceState, () => readSettings().chatMaxTurns);
  const warehouses = new WarehouseAccess(warehouseSecrets, log);
  // Approvable edits (src/extension/edits/): the palette, lenses and lightbulb, and the chat's and @dea's actions.
  const edits = registerEdits({ engines, warehouses, models, log });
  context.subscriptions.push(edits);
  const chat = new ChatController(engines, models, store, status, log, warehouses, { actions: edits.actions, reviews: edits.reviews });
  const chatView = new ChatViewProvider(context.extensionUri, chat, log);
  const diagnostics = new DiagnosticsProvider(engines, models, log, version);
  const lensChanges = snapshotChanges(engines);
  context.subscriptions.push(log, engines, models, status, chat, chatView, diagnostics, lensChanges.disposable,
    vscode.window.registerWebviewViewProvider(CHAT_VIEW_ID, chatView),
    vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, new CommitDocumentProvider()),
    vscode.workspace.registerTextDocumentContentProvider('dea-diagnostics', diagnostics),
    vscode.languages.registerCodeLensProvider({ scheme: 'file', pattern: '**/*.sql' }, new ModelLensProvider(engines, lensChanges.event)),
    vscode.languages.registerCodeLensProvider([{ scheme: 'file', pattern: '**/*.yml' }, { scheme: 'file', pattern: '**/*.yaml' }], new YamlLensProvider(engines, lensChanges.event)),
    registerCommands({ engines, chat, view: chatView, models, keys, diagnostics, log, warehouses, warehouseSecrets }),
    watchWorkspace(engines),
    watchDuckDbPath(log),
    models.onDidChange(r => engines.setModel(r.model)),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (ENGINE_SETTINGS.some(s => e.affectsConfiguration(s))) { log.info('index settings changed: reopening the index'); void engines.restart(); }
    }),
  );
  const participant = optional(log, 'chat participant', () => registerParticipant({ engines, warehouses, log, edits: { actions: edits.actions, reviews: edits.reviews } }, context.extensionUri));
  if (participant) context.subscriptions.push(participant);
  const tools = optional(log, 'language-model tools', () => registerTools(engines));
  if (tools) context.subscriptions.push(tools);
  const lmWarehouseTools = warehouseTools(engines, warehouses, log);
  const warehouseToolsRegistration = optional(log, 'warehouse language-model tools', () => registerWarehouseTools(lmWarehouseTools));
  if (warehouseToolsRegistration) context.subscriptions.push(warehouseToolsRegistration);

  // The model first (so the first answers use it), then the index; neither blocks activation.
  const started = models.refresh('start').then(r => engines.setModel(r.model), e => log.error('language model setup failed', e))
    .then(() => engines.start())
    .catch(e => log.error('indexing failed to start', e));
  current = { engines };
  return { engines, chat, chatView, models, diagnostics, status, participant, started, warehouses, warehouseTools: lmWarehouseTools, edits };
}

export async function deactivate(): Promise<void> {
  await current?.engines.close();
  current = undefined;
}

/** Chat and LM APIs can be missing or disabled in some hosts: the rest of the extension still works. */
function optional<T>(log: Log, what: string, make: () => T): T | undefined {
  try {
    return make();
  } catch (e) {
    log.warn(`${what} not available in this VS Code: ${(e as Error).message}`);
    return undefined;
  }
}
