// Choose the language model, set the API key (SecretStorage only), test the connection.
import * as vscode from 'vscode';
import type { ModelManager } from '../llm/modelManager';
import { hostOf, listVsCodeModels } from '../llm/providers';
import type { Log } from '../log';
import type { ApiKeyStore } from '../secrets';
import { readSettings } from '../settings';

type Choice = vscode.QuickPickItem & { apply?: () => Promise<void> };

export async function chooseModel(keys: ApiKeyStore, models: ModelManager): Promise<void> {
  const s = readSettings();
  const lm = await listVsCodeModels();
  const current = (p: string, id = '') => s.provider === p && (!id || s.vscodeModel === id) ? ' (current)' : '';
  const items: Choice[] = [
    { label: 'VS Code language models', kind: vscode.QuickPickItemKind.Separator },
    ...lm.map<Choice>(m => ({
      label: `$(sparkle) ${m.name}`, description: `${m.vendor} · ${m.family}${current('vscode-lm', m.id)}`, detail: `id ${m.id}, up to ${m.maxInputTokens} input tokens`,
      apply: async () => { await update('llm.vscodeModel', m.id); await update('llm.provider', 'vscode-lm'); },
    })),
    ...(lm.length ? [] : [{ label: '$(info) No VS Code language models available', description: 'install and sign in to GitHub Copilot to use its models' }]),
    { label: 'Other', kind: vscode.QuickPickItemKind.Separator },
    { label: '$(globe) OpenAI-compatible endpoint…', description: `${s.openAiModel} @ ${hostOf(s.openAiBaseUrl)}${current('openai')}`, detail: 'OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio: base URL + model; key in the OS keychain', apply: () => configureOpenAi(keys) },
    { label: '$(circle-slash) None: offline answers', description: current('none').trim(), detail: 'Answers from the lineage graph, YAML and git history only, with citations', apply: () => update('llm.provider', 'none') },
    { label: '$(wand) Automatic', description: current('auto').trim(), detail: 'A VS Code model when available, else a configured endpoint, else offline', apply: () => update('llm.provider', 'auto') },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Language model for answers', placeHolder: `Now: ${models.current.label}` });
  if (!picked?.apply) return;
  await picked.apply();
  const r = await models.refresh('model chosen');
  void vscode.window.showInformationMessage(`Answers now come from: ${r.label}${r.problem ? ` — ${r.problem}` : ''}`);
}

async function configureOpenAi(keys: ApiKeyStore): Promise<void> {
  const s = readSettings();
  const baseUrl = await vscode.window.showInputBox({
    title: 'OpenAI-compatible endpoint (1/2): base URL', value: s.openAiBaseUrl, ignoreFocusOut: true,
    prompt: 'e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), http://localhost:1234/v1 (LM Studio)',
    validateInput: v => { try { const u = new URL(v); return /^https?:$/.test(u.protocol) ? undefined : 'Use an http(s) URL'; } catch { return 'Not a URL'; } },
  });
  if (!baseUrl) return;
  const model = await vscode.window.showInputBox({ title: 'OpenAI-compatible endpoint (2/2): model', value: s.openAiModel, ignoreFocusOut: true, prompt: 'Model or deployment name, e.g. gpt-4o-mini, llama3.1' });
  if (!model) return;
  await update('openai.baseUrl', baseUrl);
  await update('openai.model', model);
  await update('llm.provider', 'openai');
  if (!(await keys.get()) && !/^(localhost|127\.|\[::1\])/.test(hostOf(baseUrl))) {
    const set = await vscode.window.showInformationMessage(`No API key is stored for ${hostOf(baseUrl)}.`, 'Set API Key');
    if (set) await vscode.commands.executeCommand('dea.setApiKey');
  }
}

/** Writes where the user keeps the setting: the workspace when it is set there, else the user settings. */
async function update(key: string, value: unknown): Promise<void> {
  const c = vscode.workspace.getConfiguration('dea');
  const i = c.inspect(key);
  const target = i?.workspaceFolderValue !== undefined || i?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update(key, value, target);
}

export async function setApiKey(keys: ApiKeyStore, log: Log, value?: unknown): Promise<boolean> {
  const key = typeof value === 'string' ? value : await vscode.window.showInputBox({
    title: 'API key for the OpenAI-compatible endpoint', prompt: 'Stored in the OS keychain (VS Code SecretStorage), never in settings. Leave empty to remove the stored key.',
    password: true, ignoreFocusOut: true,
  });
  if (key === undefined) return false;
  if (!key.trim()) {
    await keys.delete();
    void vscode.window.showInformationMessage('The stored API key was removed.');
    return true;
  }
  log.addSecret(key.trim());
  await keys.set(key.trim());
  void vscode.window.showInformationMessage('API key stored in SecretStorage.');
  return true;
}

export interface ConnectionResult {
  ok: boolean;
  message: string;
}

export async function testConnection(models: ModelManager, log: Log): Promise<ConnectionResult> {
  const r = await models.refresh('connection test');
  if (!r.model) {
    const message = `No language model is configured${r.problem ? ` (${r.problem})` : ''}: answers are offline, from the index alone. Use "DEA: Choose Language Model" to pick one.`;
    void vscode.window.showWarningMessage(message);
    return { ok: false, message };
  }
  const model = r.model;
  const t0 = Date.now();
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `DEA: testing ${r.label}`, cancellable: true }, async (_p, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    const timer = setTimeout(() => abort.abort(), 30_000);
    try {
      const reply = await model.chat([{ role: 'user', content: 'Reply with the single word OK.' }], { signal: abort.signal });
      return { ok: true, message: `${r.label} answered in ${Date.now() - t0} ms: "${reply.content.trim().slice(0, 80)}"` };
    } catch (e) {
      const why = abort.signal.aborted ? `no answer within ${Math.round((Date.now() - t0) / 1000)} s (timed out or cancelled)` : e instanceof Error ? e.message : String(e);
      return { ok: false, message: `Connection test failed for ${r.label}: ${log.clean(why)}` };
    } finally {
      clearTimeout(timer);
    }
  });
  log.info(result.message);
  if (result.ok) void vscode.window.showInformationMessage(result.message);
  else void vscode.window.showErrorMessage(result.message);
  return result;
}
