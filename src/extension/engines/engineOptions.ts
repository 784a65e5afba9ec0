// Engine options for one workspace folder, from the settings.
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { defaultIndexDir, type EngineOptions } from '../../core/engine';
import type { DeaSettings } from '../settings';

export function engineOptions(folder: vscode.WorkspaceFolder, s: DeaSettings, log: (m: string) => void): EngineOptions {
  const workspace = folder.uri.fsPath;
  return {
    workspace,
    indexDir: s.indexDirectory ? path.join(expand(s.indexDirectory, workspace), path.basename(defaultIndexDir(workspace))) : undefined,
    embedding: {
      kind: s.embeddingsKind,
      modelPath: s.embeddingsModelPath ? expand(s.embeddingsModelPath, workspace) : undefined,
      allowDownload: s.embeddingsAllowDownload,
    },
    warehouse: {
      duckdbPath: s.duckdbPath ? expand(s.duckdbPath, workspace) : undefined,
      snowflakeConnection: s.snowflakeConnection || undefined,
      target: s.warehouseTarget || undefined,
    },
    noHistory: !s.gitHistory,
    log,
  };
}

/** `${workspaceFolder}` and `~` in path settings; relative paths are relative to the folder. */
function expand(p: string, workspace: string): string {
  const home = process.env.HOME || process.env.USERPROFILE || '';
  const e = p.replace(/\$\{workspaceFolder\}/g, workspace).replace(/^~(?=$|[\\/])/, home);
  return path.resolve(workspace, e);
}
