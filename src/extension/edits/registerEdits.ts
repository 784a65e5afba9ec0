// Wires the approvable actions into VS Code: the plan view, the actions, the review diagnostics, the palette
// commands, the Document / Generate Tests lenses and the lightbulb. activate() calls registerEdits once; the returned
// `actions` is the chat's entry point (actions.proposeFromChat(kind, target)), also reachable as the command
// `dea.proposeEdit(kind, target)`.
import * as vscode from 'vscode';
import { snapshotChanges } from '../codeLens/lensRefresh';
import type { WorkspaceEngines } from '../engines/workspaceEngines';
import type { ModelManager } from '../llm/modelManager';
import type { Log } from '../log';
import type { WarehouseAccess } from '../warehouse/warehouseAccess';
import { EditActions } from './actions';
import { EDIT_ACTION_KINDS, EditCodeActionProvider } from './editCodeActions';
import { registerEditCommands } from './editCommands';
import { EditLensProvider } from './editLenses';
import { PLAN_SCHEME, PlanView } from './planView';
import { ReviewPanel } from './reviewPanel';

export interface EditsDeps {
  engines: WorkspaceEngines;
  warehouses: WarehouseAccess;
  models: ModelManager;
  log: Log;
}

export type RegisteredEdits = vscode.Disposable & { actions: EditActions; reviews: ReviewPanel; view: PlanView };

const DBT_FILES: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.sql' }, { scheme: 'file', pattern: '**/*.yml' }, { scheme: 'file', pattern: '**/*.yaml' },
];

export function registerEdits(d: EditsDeps): RegisteredEdits {
  const view = new PlanView();
  const actions = new EditActions({ ...d, view });
  const reviews = new ReviewPanel(actions);
  const lensChanges = snapshotChanges(d.engines);
  const disposable = vscode.Disposable.from(view, reviews, lensChanges.disposable,
    vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, view),
    registerEditCommands(actions, reviews, d.log),
    vscode.languages.registerCodeLensProvider(DBT_FILES, new EditLensProvider(d.engines, lensChanges.event)),
    vscode.languages.registerCodeActionsProvider(DBT_FILES, new EditCodeActionProvider(d.engines, reviews), { providedCodeActionKinds: EDIT_ACTION_KINDS }),
  );
  return Object.assign(disposable, { actions, reviews, view });
}
