// The generated DAG is syntax-checked with `python3 -m py_compile` before it is shown, where python3 is installed:
// a DAG that would not import is reported as a problem, never offered. Without python3 a note says it was not checked.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyEdits, checkEdits } from '../../core/edits/apply';
import type { EditPlan } from '../../core/edits/types';
import type { Log } from '../log';

export async function checkPythonSyntax(plan: EditPlan, log: Log): Promise<EditPlan> {
  for (const c of plan.changes) {
    if (c.kind === 'rename' || !c.path.endsWith('.py')) continue;
    const text = c.kind === 'create' ? c.text : checkEdits(c.before, c.edits) ? undefined : applyEdits(c.before, c.edits);
    if (text === undefined) continue; // inconsistent edits: validation reports them
    const r = await compile(text);
    if (r === 'no-python') {
      plan.problems.push({ path: c.path, severity: 'warning', message: 'python3 is not installed here: the DAG was not syntax-checked.' });
    } else if (r) {
      plan.problems.push({ path: c.path, severity: 'error', message: `The generated DAG does not compile: ${r}` });
    } else {
      log.info(`${c.path}: python3 -m py_compile passed`);
    }
  }
  return plan;
}

/** undefined: compiles; 'no-python': python3 missing; else the compiler's message. */
async function compile(text: string): Promise<string | undefined> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dea-dag-'));
  const file = path.join(dir, 'dag.py');
  try {
    await fs.writeFile(file, text);
    return await new Promise(resolve => {
      execFile('python3', ['-m', 'py_compile', file], { timeout: 20_000 }, (err, _out, stderr) => {
        if (!err) resolve(undefined);
        else if ((err as NodeJS.ErrnoException).code === 'ENOENT') resolve('no-python');
        else resolve(String(stderr || err.message).trim().split('\n').slice(-3).join(' '));
      });
    });
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
