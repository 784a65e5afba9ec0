// Which language model answers: vscode.lm (the user's Copilot models), an OpenAI-compatible endpoint, or none.
// `auto` prefers a vscode.lm model, then an endpoint the user configured (key or non-default base URL), else none.
import * as vscode from 'vscode';
import type { ChatModel } from '../../core/llm/types';
import { OpenAiChatModel } from '../../core/llm/openai';
import type { ApiKeyStore } from '../secrets';
import { readSettings, type DeaSettings } from '../settings';
import { VsCodeLmChatModel } from './vscodeLmModel';

export interface ResolvedModel {
  model?: ChatModel;
  /** For the status bar / chat header: 'GPT-4o (copilot)', 'gpt-4o-mini @ api.openai.com', 'offline answers'. */
  label: string;
  /** Why the wanted provider is not available, when it is not. */
  problem?: string;
}

const OFFLINE = 'offline answers';
const JUSTIFICATION = 'Data Engineering Agent answers questions about your dbt project from its index.';

export async function resolveModel(keys: ApiKeyStore, s: DeaSettings = readSettings()): Promise<ResolvedModel> {
  if (s.provider === 'none') return { label: OFFLINE };
  if (s.provider === 'openai') return openAi(keys, s);
  const lm = await vscodeLm(s);
  if (lm.model || s.provider === 'vscode-lm') return lm;
  const key = await keys.get();
  if (key || s.openAiBaseUrl !== 'https://api.openai.com/v1') return openAi(keys, s, key);
  return { label: OFFLINE };
}

async function vscodeLm(s: DeaSettings): Promise<ResolvedModel> {
  let models: vscode.LanguageModelChat[] = [];
  try {
    models = await vscode.lm.selectChatModels(s.vscodeModel ? { id: s.vscodeModel } : undefined);
  } catch (e) {
    return { label: OFFLINE, problem: `VS Code language models are unavailable: ${(e as Error).message}` };
  }
  const model = models[0];
  if (!model) {
    const what = s.vscodeModel ? `the VS Code language model "${s.vscodeModel}" is not available` : 'no VS Code language model is available (install and sign in to GitHub Copilot, or choose another provider)';
    return { label: OFFLINE, problem: what };
  }
  return { model: new VsCodeLmChatModel(model, JUSTIFICATION), label: `${model.name} (${model.vendor})` };
}

async function openAi(keys: ApiKeyStore, s: DeaSettings, knownKey?: string): Promise<ResolvedModel> {
  const apiKey = knownKey ?? await keys.get();
  const model = new OpenAiChatModel({ baseUrl: s.openAiBaseUrl, model: s.openAiModel, apiKey });
  const host = hostOf(s.openAiBaseUrl);
  const isLocal = /^(localhost|127\.|\[::1\])/.test(host);
  const problem = !apiKey && !isLocal && host === 'api.openai.com' ? `no API key for ${host}: run "DEA: Set API Key"` : undefined;
  return { model, label: `${s.openAiModel} @ ${host}`, problem };
}

export function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

/** Every vscode.lm model, for the chooser. */
export async function listVsCodeModels(): Promise<vscode.LanguageModelChat[]> {
  try { return await vscode.lm.selectChatModels(); } catch { return []; }
}
