// A private copy of the example project (optionally with its DuckDB warehouse built from the seeds) and an engine
// over it, for the edit-plan tests: read files, write files, apply a plan to disk and refresh.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { Engine } from '../../../src/core/engine';
import { applyChanges } from '../../../src/core/edits/apply';
import type { EditPlan } from '../../../src/core/edits/types';
import type { ChatMessage, ChatModel, ChatOptions, ChatResult } from '../../../src/core/llm/types';
import { copyExample, type ExampleCopy } from '../../support/example';

export interface ExampleWorkspace {
  ex: ExampleCopy;
  dir: string;
  dbPath: string;
  engine: Engine;
  read(rel: string): string;
  write(rel: string, text: string): void;
  /** Writes the plan's result to disk (after checking it applies cleanly) and refreshes the engine. */
  apply(plan: EditPlan): Promise<void>;
  close(): Promise<void>;
}

export async function openExample(opts: { warehouse?: boolean } = {}): Promise<ExampleWorkspace> {
  const ex = copyExample({ history: false });
  if (opts.warehouse) {
    const built = await ensureExampleWarehouse(ex.dir);
    assert.ok(built && !built.failed.length, `example warehouse built: ${JSON.stringify(built?.failed)}`);
  }
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-edits-idx-'));
  const engine = await Engine.open({ workspace: ex.dir, indexDir, embedding: { kind: 'hashed' }, noHistory: true });
  await engine.refresh();
  const abs = (rel: string) => path.join(ex.dir, rel);
  const ws: ExampleWorkspace = {
    ex, dir: ex.dir, dbPath: abs('shopwise.duckdb'), engine,
    read: rel => fs.readFileSync(abs(rel), 'utf8'),
    write: (rel, text) => { fs.mkdirSync(path.dirname(abs(rel)), { recursive: true }); fs.writeFileSync(abs(rel), text); },
    async apply(plan) {
      const texts = new Map<string, string>();
      for (const c of plan.changes) if (fs.existsSync(abs(c.path))) texts.set(c.path, ws.read(c.path));
      const r = applyChanges(texts, plan.changes);
      assert.deepEqual(r.problems, []);
      for (const [rel, text] of r.files) {
        if (text === null) fs.rmSync(abs(rel));
        else ws.write(rel, text);
      }
      await engine.refresh();
    },
    async close() {
      await engine.close();
      ex.cleanup();
      fs.rmSync(indexDir, { recursive: true, force: true });
    },
  };
  return ws;
}

/** Every line of `before` is in `after`, unchanged and in order (nothing but insertions happened). */
export function assertLinesKept(before: string, after: string): void {
  const b = after.split('\n');
  let j = 0;
  for (const line of before.split('\n')) {
    while (j < b.length && b[j] !== line) j++;
    assert.ok(j < b.length, `original line ${JSON.stringify(line)} was changed or moved`);
    j++;
  }
}

/** A language model that answers from a function and keeps every request (for prompt assertions). */
export class ScriptedModel implements ChatModel {
  readonly id = 'scripted:test';
  readonly requests: ChatMessage[][] = [];
  constructor(private readonly reply: (messages: ChatMessage[]) => string) {}
  async chat(messages: ChatMessage[], _opts?: ChatOptions): Promise<ChatResult> {
    this.requests.push(messages);
    return { content: this.reply(messages), toolCalls: [] };
  }
}

/** The column names a describe request asks for (from the prompt's last instruction line). */
export function wantedColumns(messages: ChatMessage[]): string[] {
  const user = messages.find(m => m.role === 'user')!.content;
  const m = /Write descriptions for these columns: (.*)\./.exec(user);
  return m && m[1] !== '(none)' ? m[1].split(', ') : [];
}
