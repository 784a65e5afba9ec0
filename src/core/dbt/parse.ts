// Parsing dbt projects from their files. parseFile (pure, per file) lives in parsefile.ts and is re-exported here;
// parseProjectFiles lists, reads, parses and assembles one project in a single call (no caching: an indexer that
// caches per file calls listProjectFiles / readProjectFile / parseFile / assembleProject itself).

import type { DbtProjectInfo, ParsedProject, Problem } from '../types';
import { assembleProject } from './assemble';
import { listProjectFiles, readProjectFile } from './files';
import { emptyParse, FileParse } from './fileparse';
import { parseFile } from './parsefile';

export { parseFile } from './parsefile';
export type { ParseFileOptions } from './parsefile';
export type { FileParse, FileKind, YamlPatch } from './fileparse';

const READ_CONCURRENCY = 16;

export async function parseProjectFiles(workspaceAbs: string, info: DbtProjectInfo): Promise<ParsedProject> {
  const listing: Problem[] = [];
  const files = await listProjectFiles(workspaceAbs, info, listing);
  const parses: FileParse[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      parses[i] = await readAndParse(workspaceAbs, info, files[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, worker));
  const project = assembleProject(info, parses);
  project.problems.unshift(...listing);
  return project;
}

async function readAndParse(workspaceAbs: string, info: DbtProjectInfo, rel: string): Promise<FileParse> {
  try {
    const { content, sizeBytes } = await readProjectFile(workspaceAbs, rel);
    return parseFile(info, rel, content, { sizeBytes });
  } catch (e) {
    const parse = emptyParse(rel, 'ignored');
    parse.problems.push({ path: rel, severity: 'warning', message: `Cannot read the file, it is skipped: ${(e as Error).message}` });
    return parse;
  }
}
