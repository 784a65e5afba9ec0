// Read-only virtual documents showing one commit's change to a file (`git show <sha> -- <path>`), so commit
// citations and "last change" lenses open the exact change without the git extension.
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';

export const COMMIT_SCHEME = 'dea-commit';

interface CommitQuery {
  folder: string;
  sha: string;
  path?: string;
}

export function commitUri(folder: vscode.WorkspaceFolder, sha: string, path?: string): vscode.Uri {
  const name = `${sha.slice(0, 7)}${path ? ` ${path.split('/').pop()}` : ''}.diff`;
  const query: CommitQuery = { folder: folder.uri.fsPath, sha, ...(path ? { path } : {}) };
  return vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${name}`, query: JSON.stringify(query) });
}

export class CommitDocumentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let q: CommitQuery;
    try { q = JSON.parse(uri.query) as CommitQuery; } catch { return 'This commit link is damaged: open the commit again from the chat or the code lens.'; }
    if (!/^[0-9a-f]{4,64}$/i.test(q.sha)) return `"${q.sha}" is not a commit id.`;
    const args = ['-c', 'core.quotepath=off', 'show', '--no-color', '--stat', '--patch', '--format=fuller', q.sha, '--'];
    if (q.path) args.push(q.path);
    try {
      return await git(args, q.folder);
    } catch (e) {
      return `Could not show commit ${q.sha}${q.path ? ` for ${q.path}` : ''} in ${q.folder}: ${(e as Error).message}\n`
        + 'Check that git is installed and that the folder is a clone holding this commit (a shallow clone may lack it).';
    }
  }
}

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, maxBuffer: 20 * 1024 * 1024, timeout: 15_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error((stderr || err.message).trim().split('\n')[0]));
      else resolve(stdout);
    });
  });
}
