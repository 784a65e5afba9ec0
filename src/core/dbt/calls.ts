// Turning the calls found in Jinja tags into what a dbt node depends on: refs, sources, config, macros.

import type { RefCall, SourceCall } from '../types';
import { isMacroName } from './builtins';
import type { RawConfig } from './config';
import { boundNames, CallSite, DEFINITION_KEYWORDS, findCalls, JinjaTag } from './jinja';
import { argString, argValue, CallArgs } from './literal';

const DEPENDENCY_CALLS = new Set(['ref', 'source', 'config', 'is_incremental']);

export interface CodeDeps {
  refs: RefCall[];
  sources: SourceCall[];
  macros: string[];
  /** Arguments of every `config(...)` call, merged in order (later calls win). */
  config: RawConfig;
  isIncremental: boolean;
  /** Source text of refs/sources whose arguments are not literals (`ref(var('m'))`): dbt resolves them at run time. */
  dynamic: string[];
}

export function emptyDeps(): CodeDeps {
  return { refs: [], sources: [], macros: [], config: {}, isIncremental: false, dynamic: [] };
}

/** Dependencies of the code in `tags`. `extraLocals` are names bound elsewhere (macro arguments). */
export function depsOfTags(tags: JinjaTag[], extraLocals: Iterable<string> = []): CodeDeps {
  const locals = boundNames(tags);
  for (const n of extraLocals) locals.add(n);
  const deps = emptyDeps();
  for (const tag of tags) {
    if (tag.keyword && DEFINITION_KEYWORDS.has(tag.keyword)) continue;
    let calls = findCalls(tag.body);
    // An unclosed tag's text may run into plain SQL (count(), coalesce()): only dbt's own calls are trusted there.
    if (tag.partial) calls = calls.filter(c => DEPENDENCY_CALLS.has(c.name));
    addCalls(deps, calls, locals);
  }
  return finish(deps);
}

/** Adds the calls' dependencies to `deps` (not deduplicated: call finish()). */
export function addCalls(deps: CodeDeps, calls: CallSite[], locals: ReadonlySet<string>): void {
  for (const call of calls) {
    switch (call.name) {
      case 'ref': addRef(deps, call.args); break;
      case 'source': addSource(deps, call.args); break;
      case 'config': Object.assign(deps.config, configArgs(call.args)); break;
      case 'is_incremental': deps.isIncremental = true; break;
      default:
        if (isMacroName(call.name, locals)) deps.macros.push(call.name);
    }
  }
}

export function refFromArgs(args: CallArgs | undefined): RefCall | undefined {
  if (!args) return undefined;
  const pos = args.positional.map(argString);
  if (!pos.length || pos.some(p => p === undefined) || pos.length > 2) return undefined;
  const ref: RefCall = pos.length === 2 ? { package: pos[0]!, name: pos[1]! } : { name: pos[0]! };
  const version = argString(args.kwargs.v ?? args.kwargs.version);
  if (version !== undefined) ref.version = version;
  return ref;
}

export function sourceFromArgs(args: CallArgs | undefined): SourceCall | undefined {
  if (!args) return undefined;
  const source = argString(args.positional[0] ?? args.kwargs.source_name);
  const table = argString(args.positional[1] ?? args.kwargs.table_name);
  return source !== undefined && table !== undefined ? { source, table } : undefined;
}

function addRef(deps: CodeDeps, args: CallArgs | undefined): void {
  const ref = refFromArgs(args);
  if (ref) deps.refs.push(ref);
  else deps.dynamic.push(`ref(${argsText(args)})`);
}

function addSource(deps: CodeDeps, args: CallArgs | undefined): void {
  const src = sourceFromArgs(args);
  if (src) deps.sources.push(src);
  else deps.dynamic.push(`source(${argsText(args)})`);
}

function argsText(args: CallArgs | undefined): string {
  if (!args) return '';
  const kw = Object.entries(args.kwargs).map(([k, v]) => `${k}=${v.text}`);
  return [...args.positional.map(p => p.text), ...kw].join(', ');
}

/** `config(materialized='table', tags=['a'])` or `config({'materialized': 'table'})` as a plain object. */
export function configArgs(args: CallArgs | undefined): RawConfig {
  const out: RawConfig = {};
  if (!args) return out;
  const first = args.positional[0];
  if (first?.literal && first.value && typeof first.value === 'object' && !Array.isArray(first.value)) {
    Object.assign(out, first.value);
  }
  for (const [k, v] of Object.entries(args.kwargs)) out[k] = argValue(v);
  return out;
}

/** Removes duplicates, keeping first-seen order. */
export function finish(deps: CodeDeps): CodeDeps {
  deps.refs = uniqBy(deps.refs, r => `${r.package ?? ''}|${r.name}|${r.version ?? ''}`);
  deps.sources = uniqBy(deps.sources, s => `${s.source}|${s.table}`);
  deps.macros = [...new Set(deps.macros)];
  deps.dynamic = [...new Set(deps.dynamic)];
  return deps;
}

function uniqBy<T>(items: T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter(x => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}

/** A `ref('x')` / `source('a', 'b')` written as a string (YAML `to:`, `relation:`, exposure `depends_on`),
 *  with or without `{{ }}`. */
export function parseRefString(text: string): { ref?: RefCall; source?: SourceCall; metric?: string } {
  const body = text.trim().replace(/^\{\{-?/, '').replace(/-?\}\}$/, '');
  const call = findCalls(body)[0];
  if (!call) return {};
  if (call.name === 'ref') return { ref: refFromArgs(call.args) };
  if (call.name === 'source') return { source: sourceFromArgs(call.args) };
  if (call.name === 'metric') {
    const m = argString(call.args?.positional[0]);
    return m ? { metric: m } : {};
  }
  return {};
}
