// Test suites beyond node's test runner, run by test/run.mjs after the core tests. Each command prints a plain
// `N passed, N failed` line last. The VS Code ones need scripts/install-vscode-test.sh to have run (.ci/run does).
const node = process.execPath;

/** Installs the VS Code test host when it is missing (code-server 4.100.3, Debian chromium); quick when present. */
export const setup = ['bash', 'scripts/install-vscode-test.sh'];

export const suites = [
  { name: 'webview script type-check (browser DOM types)', command: [node, 'test/vscode/typecheck-webview.mjs'] },
  { name: 'VS Code extension host (real VS Code 1.100.3 from code-server)', command: [node, '--import', 'tsx', 'test/vscode/run-exthost.ts'] },
  { name: 'VS Code extension host, multi-root workspace (.code-workspace: two dbt projects and a folder without one)', command: [node, '--import', 'tsx', 'test/vscode/run-exthost.ts', '--multi-root'] },
  { name: 'VS Code UI in headless Chromium (screenshots in test-output/ui)', command: [node, '--import', 'tsx', 'test/vscode/run-ui.ts'] },
  { name: 'VS Code UI: approvable edits in the Refactor Preview (screenshots in test-output/ui/edits)', command: [node, '--import', 'tsx', 'test/vscode/run-ui-edits.ts'] },
  { name: 'packaged .vsix installed with default settings answers (npm run package)', command: [node, '--import', 'tsx', 'test/vscode/run-vsix.ts'] },
];
