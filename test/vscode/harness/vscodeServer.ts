// Starts and stops the VS Code server that ships inside the code-server npm package (VS Code 1.100.3), with
// throw-away user, server-data and extension folders, and builds workbench URLs for it.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { VSCODE_DIR } from './paths';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Quiet, offline user settings: no welcome page, no trust prompt, no telemetry or update checks. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'update.mode': 'none', 'workbench.enableExperiments': false,
  'workbench.tips.enabled': false, 'git.enabled': false, 'git.autoRepositoryDetection': false, 'workbench.colorTheme': 'Default Dark Modern',
  'editor.codeLens': true, 'window.commandCenter': false, 'chat.commandCenter.enabled': false,
};

export interface VsCodeServer {
  url: string;
  authority: string;
  /** Temp folder holding the server's data and its log (server.log). */
  base: string;
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Environment of the server and its extension hosts. */
  env?: Record<string, string>;
  /** User settings on top of the quiet defaults. */
  settings?: Record<string, unknown>;
  /** .vsix files to install into the server's extensions folder first. */
  install?: string[];
}

export async function startServer(opts: ServerOptions = {}): Promise<VsCodeServer> {
  const env = opts.env ?? {};
  if (!fs.existsSync(path.join(VSCODE_DIR, 'out/server-main.js'))) {
    throw new Error(`No VS Code server at ${VSCODE_DIR}: run scripts/install-vscode-test.sh first.`);
  }
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vsc-')); // short: unix socket paths live under it
  for (const d of ['ud/User', 'sd', 'ext', 'tmp', 'cache']) fs.mkdirSync(path.join(base, d), { recursive: true });
  fs.writeFileSync(path.join(base, 'ud/User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...opts.settings }, null, 2));
  const dirs = ['--user-data-dir', path.join(base, 'ud'), '--server-data-dir', path.join(base, 'sd'), '--extensions-dir', path.join(base, 'ext')];
  for (const vsix of opts.install ?? []) {
    execFileSync(process.execPath, [path.join(VSCODE_DIR, 'out/server-main.js'), '--accept-server-license-terms', ...dirs, '--install-extension', vsix],
      { stdio: 'pipe', env: { ...process.env, TMPDIR: path.join(base, 'tmp') } });
  }
  const args = [path.join(VSCODE_DIR, 'out/server-main.js'), '--host', '127.0.0.1', '--port', '0',
    '--without-connection-token', '--accept-server-license-terms',
    '--enable-smoke-test-driver', // lets ?payload= carry extensionDevelopmentPath / extensionTestsPath
    '--disable-telemetry', '--disable-workspace-trust', ...dirs];
  // The extension host inherits this env: XDG_CACHE_HOME keeps the engine's index out of the user's cache.
  const child = spawn(process.execPath, args, {
    // HF_ENDPOINT: a closed local port, so the default one-time model download fails fast without leaving the machine.
    env: { ...process.env, TMPDIR: path.join(base, 'tmp'), XDG_CACHE_HOME: path.join(base, 'cache'), HF_ENDPOINT: 'http://127.0.0.1:9', ...env },
    detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(path.join(base, 'server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`VS Code server did not start within 60 s; see ${base}/server.log`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /Extension host agent listening on (\d+)/.exec(buf);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`VS Code server exited with ${code}; see ${base}/server.log`)); });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    authority: `127.0.0.1:${port}`,
    base,
    async stop() {
      // Its own process group: the server, its extension hosts and file watchers go together.
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
      await new Promise(r => setTimeout(r, 500));
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
}

/** A folder path opens that folder; `{ workspace }` opens a multi-root `.code-workspace` file (VS Code web's `?workspace=`). */
export function workbenchUrl(server: VsCodeServer, open: string | { workspace: string }, payload?: [string, string][]): string {
  let u = typeof open === 'string' ? `${server.url}/?folder=${encodeURIComponent(open)}` : `${server.url}/?workspace=${encodeURIComponent(open.workspace)}`;
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

export function remoteUri(server: VsCodeServer, p: string): string {
  return `vscode-remote://${server.authority}${p}`;
}
