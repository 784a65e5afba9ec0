// Chooses the embedder: a local model folder, else the hub model already in the cache, else a one-time download,
// else the weight-free HashedEmbedder whose status().reason says why and what to do. Never throws for a
// missing or broken model, and never waits on the network for more than `timeoutMs` without progress.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProgressFn } from '../../types';
import type { Embedder } from '../types';
import { HashedEmbedder } from './hashed';
import type { ModelDtype } from './protocol';
import { EmbedderLoadError, TransformersEmbedder, type TransformersEmbedderOptions } from './transformers';

export const DEFAULT_HUB_MODEL = 'Xenova/all-MiniLM-L6-v2';
const DEFAULT_HOST = 'https://huggingface.co/';
const FIX_HINT = 'set dea.embeddings.modelPath to a local all-MiniLM-L6-v2 folder';

export interface SelectEmbedderOptions {
  /** A local model folder (setting / CLI flag); env DEA_EMBEDDING_MODEL when absent. */
  modelPath?: string;
  /** Allow the one-time download of the hub model into cacheDir. Default false. */
  allowDownload?: boolean;
  /** Where downloads go (transformers.js env.cacheDir) and are found again offline. */
  cacheDir: string;
  kind?: 'auto' | 'neural' | 'hashed';
  onProgress?: ProgressFn;
  log?: (m: string) => void;
  /** Hub model to download. Default Xenova/all-MiniLM-L6-v2. */
  hubModel?: string;
  /** Hub mirror; env HF_ENDPOINT when absent, else huggingface.co. */
  remoteHost?: string;
  /** Network guard for the download (no answer / no bytes for this long aborts it). Default 10 s. */
  timeoutMs?: number;
}

/** The files a transformers.js feature-extraction folder needs, and which weights it has. */
export function inspectModelFolder(dir: string): { dtype: ModelDtype } | { problem: string } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return { problem: `folder ${dir} not found` };
  for (const f of ['config.json', 'tokenizer.json']) {
    if (!fs.existsSync(path.join(dir, f))) return { problem: `${dir} has no ${f}` };
  }
  if (fs.existsSync(path.join(dir, 'onnx', 'model_quantized.onnx'))) return { dtype: 'q8' };
  if (fs.existsSync(path.join(dir, 'onnx', 'model.onnx'))) return { dtype: 'fp32' };
  return { problem: `${dir} has no onnx/model_quantized.onnx or onnx/model.onnx` };
}

/** Distinguishes two folders with the same name: config + weight size. */
function folderFingerprint(dir: string, dtype: ModelDtype): string {
  const weights = path.join(dir, 'onnx', dtype === 'q8' ? 'model_quantized.onnx' : 'model.onnx');
  const h = crypto.createHash('sha1');
  h.update(fs.readFileSync(path.join(dir, 'config.json')));
  h.update(String(fs.statSync(weights).size));
  return h.digest('hex').slice(0, 8);
}

/** transformers.js accepts `name` under env.localModelPath when name looks like a hub id; else the full path. */
function localTarget(dir: string): Pick<TransformersEmbedderOptions, 'model' | 'localModelPath'> {
  const base = path.basename(dir);
  if (/^[\w.-]{1,96}$/.test(base) && !base.includes('..') && !base.includes('--')) {
    return { model: base, localModelPath: path.dirname(dir) };
  }
  return { model: dir, localModelPath: path.dirname(dir) };
}

function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}

export async function selectEmbedder(opts: SelectEmbedderOptions): Promise<Embedder> {
  const log = opts.log ?? (() => undefined);
  if (opts.kind === 'hashed') return new HashedEmbedder('hashed embeddings chosen in settings (kind: hashed)');
  const common = { cacheDir: opts.cacheDir, onProgress: opts.onProgress, log, timeoutMs: opts.timeoutMs };
  const fallback = (reason: string): Embedder => {
    log(`embeddings: ${reason}; using the weight-free hashed n-gram embedder`);
    return new HashedEmbedder(reason);
  };

  const modelPath = opts.modelPath || process.env.DEA_EMBEDDING_MODEL;
  if (modelPath) {
    const dir = path.resolve(modelPath);
    const found = inspectModelFolder(dir);
    if ('problem' in found) return fallback(`embedding model ${found.problem} — fix dea.embeddings.modelPath (a folder with config.json, tokenizer.json and onnx/model_quantized.onnx)`);
    try {
      return await TransformersEmbedder.load({
        ...common, ...localTarget(dir), id: `transformers:${path.basename(dir)}@${folderFingerprint(dir, found.dtype)}:${found.dtype}`,
        label: dir, allowDownload: false, dtype: found.dtype,
      });
    } catch (e) {
      return fallback(`could not load the embedding model in ${dir}: ${(e as Error).message}`);
    }
  }

  const hubModel = opts.hubModel ?? DEFAULT_HUB_MODEL;
  const id = `transformers:${hubModel}:q8`;
  const cached = path.join(opts.cacheDir, ...hubModel.split('/'));
  if ('dtype' in inspectModelFolder(cached) && fs.existsSync(path.join(cached, 'onnx', 'model_quantized.onnx'))) {
    try {
      return await TransformersEmbedder.load({ ...common, id, model: hubModel, localModelPath: opts.cacheDir, label: hubModel, allowDownload: false, dtype: 'q8' });
    } catch (e) {
      if (!opts.allowDownload) return fallback(`the downloaded model in ${cached} is unreadable (${(e as Error).message}) — delete that folder to download it again, or ${FIX_HINT}`);
      log(`embeddings: the cached ${hubModel} in ${cached} did not load (${(e as Error).message}); downloading it again`);
      fs.rmSync(cached, { recursive: true, force: true }); // our own cache: transformers.js would reuse the broken files
    }
  }

  if (!opts.allowDownload) {
    return fallback(`no embedding model: no model folder is set and downloading is off — ${FIX_HINT}, or allow the one-time download (dea.embeddings.allowDownload)`);
  }
  const remoteHost = opts.remoteHost || process.env.HF_ENDPOINT || DEFAULT_HOST;
  log(`embeddings: downloading ${hubModel} from ${hostOf(remoteHost)} into ${opts.cacheDir} (once)`);
  try {
    return await TransformersEmbedder.load({ ...common, id, model: hubModel, label: hubModel, allowDownload: true, remoteHost, dtype: 'q8' });
  } catch (e) {
    const code = e instanceof EmbedderLoadError && e.code ? e.code : 'error';
    return fallback(`no embedding model: download from ${hostOf(remoteHost)} failed (${code}: ${(e as Error).message}) — ${FIX_HINT}`);
  }
}
