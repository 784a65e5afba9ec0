// Parsing dbt projects from their files. parseFile (pure, per file) lives in parsefile.ts and is re-exported here;
// parseProjectFiles lists, reads, parses and assembles one project in a single call (no caching: an indexer that
// caches per file calls listProjectFiles / readProjectFile / parseFile / assembleProject itself).

import type { DbtProjectInfo, ParsedProject, Problem } from '../types';
import { assembleProject } from './assemble';
import { findProjectFiles, inspectFile, mapLimit } from './files';
import { emptyParse } from './fileparse';
import { parseFile } from './parsefile';

export { parseFile } from './parsefile';
export type { ParseFileOptions } from './parsefile';
export type { FileParse, FileKind, YamlPatch } from './fileparse';

export async function parseProjectFiles(workspaceAbs: string, info: DbtProjectInfo): Promise<ParsedProject> {
  const candidates = await findProjectFiles(workspaceAbs, info);
  const skipped: Problem[] = [];
  const parses = await mapLimit(candidates, async rel => {
    const file = await inspectFile(workspaceAbs, rel, true);
    if (file.problem || file.content === undefined) {
      if (file.problem) skipped.push(file.problem);
      return emptyParse(rel, 'ignored');
    }
    return parseFile(info, rel, file.content, { sizeBytes: file.sizeBytes });
  });
  const project = assembleProject(info, parses);
  project.problems.unshift(...skipped.sort((a, b) => (a.path < b.path ? -1 : 1)));
  return project;
}
