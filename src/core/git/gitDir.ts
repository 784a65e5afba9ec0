// The .git directory of the repository holding a folder: the nearest `.git` folder upward, or the directory a
// `.git` file points to (worktrees and submodules: "gitdir: <path>").
import * as fs from 'node:fs';
import * as path from 'node:path';

export function findGitDir(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const dotGit = path.join(d, '.git');
    try {
      const st = fs.statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      const m = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (m) return path.resolve(d, m[1].trim());
    } catch { /* not here: look further up */ }
    if (path.dirname(d) === d) return undefined;
  }
}
