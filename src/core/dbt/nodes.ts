// Building DbtNode values with every required field set.

import type { DbtNode, ResourceType, SourceRange } from '../types';

export function uniqueIdOf(resourceType: ResourceType, project: string, ...names: string[]): string {
  return [resourceType, project, ...names].join('.');
}

export function newNode(
  resourceType: ResourceType,
  project: string,
  name: string,
  location?: SourceRange,
  uniqueId = uniqueIdOf(resourceType, project, name),
): DbtNode {
  return {
    uniqueId,
    resourceType,
    name,
    project,
    location,
    docRefs: [],
    columns: [],
    tests: [],
    config: { tags: [], other: {} },
    tags: [],
    meta: {},
    refs: [],
    sources: [],
    macros: [],
    ctes: [],
    isIncremental: false,
    props: {},
  };
}

/** 'models/marts/orders.sql' → 'orders'. */
export function fileStem(relPath: string): string {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** `{{ doc('name') }}` / `{{ doc('package', 'name') }}` references in a description. */
export const DOC_CALL = /\{\{-?\s*doc\(\s*(['"])([^'"]*)\1\s*(?:,\s*(['"])([^'"]*)\3\s*)?\)\s*-?\}\}/g;

export function docRefsIn(text: string | undefined): string[] {
  if (!text || !text.includes('doc(')) return [];
  const names: string[] = [];
  for (const m of text.matchAll(DOC_CALL)) names.push(m[4] ?? m[2]);
  return [...new Set(names)];
}
