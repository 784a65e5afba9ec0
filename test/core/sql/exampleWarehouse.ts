// The bundled example (examples/shopwise) copied to a temp dir with its DuckDB warehouse built from the seeds:
// real tables, views and personal-looking columns for the SQL tests.
import { ensureExampleWarehouse } from '../../../src/cli/demo';
import { copyExample, type ExampleCopy } from '../../support/example';

export interface ExampleWarehouse {
  ex: ExampleCopy;
  dbPath: string;
}

export async function buildExampleWarehouse(): Promise<ExampleWarehouse> {
  const ex = copyExample({ history: false });
  try {
    const built = await ensureExampleWarehouse(ex.dir);
    if (!built) throw new Error('the example warehouse was not built');
    if (built.failed.length) throw new Error(`example relations failed: ${built.failed.map(f => `${f.node}: ${f.reason}`).join('; ')}`);
    return { ex, dbPath: built.dbPath };
  } catch (e) {
    ex.cleanup();
    throw e;
  }
}
