// An engine over a private copy of the example project (hashed vectors, scripted git history), shared by the
// answer tests that ask real questions offline.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../src/core/engine';
import { copyExample, type ExampleCopy } from '../../support/example';

export interface ExampleEngine {
  engine: Engine;
  ex: ExampleCopy;
  close(): Promise<void>;
}

export async function openExampleEngine(): Promise<ExampleEngine> {
  const ex = copyExample();
  const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-answer-idx-'));
  const engine = await Engine.open({ workspace: ex.dir, indexDir, embedding: { kind: 'hashed' } });
  await engine.refresh();
  return {
    engine, ex,
    close: async () => { await engine.close(); ex.cleanup(); fs.rmSync(indexDir, { recursive: true, force: true }); },
  };
}
