// The extensionTestsPath module of the single-folder suites: runs every *.spec.js beside it (see harness/mochaRunner).
import { runSpecs } from '../harness/mochaRunner';

export function run(): Promise<void> {
  return runSpecs(__dirname);
}
