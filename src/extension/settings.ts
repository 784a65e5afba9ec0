// Typed access to the `dea.*` settings contributed in package.json (descriptions and defaults live there).
import * as vscode from 'vscode';

export type ProviderSetting = 'auto' | 'vscode-lm' | 'openai' | 'none';

export interface DeaSettings {
  provider: ProviderSetting;
  /** vscode.lm model id; '' = the first available. */
  vscodeModel: string;
  openAiBaseUrl: string;
  openAiModel: string;
  embeddingsKind: 'auto' | 'neural' | 'hashed';
  embeddingsModelPath: string;
  embeddingsAllowDownload: boolean;
  warehouseKind: 'auto' | 'duckdb' | 'snowflake';
  duckdbPath: string;
  warehouseTarget: string;
  /** Name in ~/.snowflake/connections.toml; '' = from profiles.yml or the file's default. */
  snowflakeConnection: string;
  sqlMaxRows: number;
  sqlTimeoutSeconds: number;
  allowReadOnlyWithoutAsking: boolean;
  sendPersonalDataToModel: boolean;
  indexDirectory: string;
  gitHistory: boolean;
  refreshDebounceMs: number;
  codeLensEnabled: boolean;
  lineageDepth: number;
  chatMaxTurns: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): DeaSettings {
  const c = vscode.workspace.getConfiguration('dea', scope);
  const num = (key: string, def: number, min: number, max: number) => Math.min(max, Math.max(min, Number(c.get(key, def)) || def));
  return {
    provider: oneOf(c.get('llm.provider'), ['auto', 'vscode-lm', 'openai', 'none'] as const, 'auto'),
    vscodeModel: c.get('llm.vscodeModel', ''),
    openAiBaseUrl: c.get('openai.baseUrl', '') || 'https://api.openai.com/v1',
    openAiModel: c.get('openai.model', '') || 'gpt-4o-mini',
    embeddingsKind: oneOf(c.get('embeddings.kind'), ['auto', 'neural', 'hashed'] as const, 'auto'),
    embeddingsModelPath: c.get('embeddings.modelPath', ''),
    embeddingsAllowDownload: c.get('embeddings.allowDownload', true),
    warehouseKind: oneOf(c.get('warehouse.kind'), ['auto', 'duckdb', 'snowflake'] as const, 'auto'),
    duckdbPath: c.get('warehouse.duckdbPath', ''),
    warehouseTarget: c.get('warehouse.target', ''),
    snowflakeConnection: c.get('warehouse.snowflakeConnection', ''),
    sqlMaxRows: num('sql.maxRows', 200, 1, 10_000),
    sqlTimeoutSeconds: num('sql.timeoutSeconds', 30, 1, 600),
    // Only a `true` boolean counts: anything else (a string from a hand-edited file) keeps the safe default.
    allowReadOnlyWithoutAsking: c.get('sql.allowReadOnlyWithoutAsking') === true,
    sendPersonalDataToModel: c.get('sql.sendPersonalDataToModel') === true,
    indexDirectory: c.get('index.directory', ''),
    gitHistory: c.get('git.history', true),
    refreshDebounceMs: num('refresh.debounceMs', 1000, 100, 60_000),
    codeLensEnabled: c.get('codeLens.enabled', true),
    lineageDepth: num('lineage.depth', 2, 1, 6),
    chatMaxTurns: num('chat.maxTurns', 50, 1, 500),
  };
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], def: T): T {
  return allowed.includes(v as T) ? (v as T) : def;
}

/** Settings whose change needs the engines reopened (the rest are read when used). */
export const ENGINE_SETTINGS = ['dea.embeddings', 'dea.warehouse', 'dea.index', 'dea.git'];
export const MODEL_SETTINGS = ['dea.llm', 'dea.openai'];
