// The extensionTestsPath module of the multi-root suites (run-exthost.ts --multi-root): every *.spec.js beside it.
import { runSpecs } from '../harness/mochaRunner';

export function run(): Promise<void> {
  return runSpecs(__dirname);
}
