// Where the real-VS-Code tests find things.
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
export const CODE_SERVER_DIR = process.env.DEA_CODE_SERVER_DIR ?? path.join(ROOT, '.vscode-test/code-server');
/** The VS Code server inside the code-server npm package. */
export const VSCODE_DIR = path.join(CODE_SERVER_DIR, 'node_modules/code-server/lib/vscode');
export const EXAMPLE = path.join(ROOT, 'examples/shopwise');
/** The second, small dbt project of the multi-root workspace. */
export const HELPDESK = path.join(ROOT, 'test/fixtures/vscode/helpdesk');
export const TEST_OUTPUT = path.join(ROOT, 'test-output');
/** Bundled extension-host test files (git-ignored). */
export const EXTHOST_OUT = path.join(ROOT, 'out/vscode-tests');
export const CHROMIUM = process.env.DEA_CHROMIUM ?? '/usr/bin/chromium';
