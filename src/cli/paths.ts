import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package's own folder (holding package.json and examples/), from the bundle or from sources. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

export function exampleWorkspace(): string {
  return path.join(packageRoot(), 'examples', 'shopwise');
}
