// Turns manifest paths into workspace-relative SourceRanges by looking at the files themselves
// (the manifest has paths but no line numbers).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { DbtProjectInfo, SourceRange } from '../types';
import { lineCount } from './manifest-sql';
import { YamlEntries, type YamlSection } from './manifest-yaml';

const MAX_READ = 5 * 1024 * 1024;

function lineAt(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Locator {
  private readonly texts = new Map<string, string | undefined>();
  private readonly yamls = new Map<string, YamlEntries | undefined>();
  private readonly installed = new Map<string, boolean>();

  constructor(private readonly workspaceAbs: string, private readonly info: DbtProjectInfo) {}

  /** Workspace-relative path of a file of this project, or of an installed package (dbt_packages/<pkg>/...). */
  wsPath(pkg: string, rel: string): string {
    const base = pkg === this.info.name ? this.info.root : posix.join(this.info.root, this.packageDir(pkg));
    return posix.join(base || '.', rel.replace(/\\/g, '/'));
  }

  /** Whether a package's files are on disk (installed dependency), as opposed to dbt's internal macros. */
  isInstalled(pkg: string): boolean {
    let v = this.installed.get(pkg);
    if (v === undefined) {
      v = ['dbt_packages', 'dbt_modules'].some(d => existsSync(join(this.workspaceAbs, this.info.root, d, pkg)));
      this.installed.set(pkg, v);
    }
    return v;
  }

  private packageDir(pkg: string): string {
    return existsSync(join(this.workspaceAbs, this.info.root, 'dbt_modules', pkg)) ? `dbt_modules/${pkg}` : `dbt_packages/${pkg}`;
  }

  /** 'project://models/schema.yml' → workspace path. */
  patchPath(patch: string | undefined): string | undefined {
    if (!patch) return undefined;
    const m = /^([^:/]+):\/\/(.*)$/.exec(patch);
    return m ? this.wsPath(m[1], m[2]) : this.wsPath(this.info.name, patch);
  }

  private text(wsRel: string): string | undefined {
    if (this.texts.has(wsRel)) return this.texts.get(wsRel);
    let t: string | undefined;
    try {
      const abs = join(this.workspaceAbs, wsRel);
      if (statSync(abs).size <= MAX_READ) t = readFileSync(abs, 'utf8').replace(/\r\n/g, '\n');
    } catch {
      t = undefined; // the file moved since dbt ran: cite line 1
    }
    this.texts.set(wsRel, t);
    return t;
  }

  /** Where `code` sits in the file (snapshot and macro blocks are part of a file), when it is there verbatim. */
  findCode(wsRel: string, code: string | undefined): SourceRange | undefined {
    const text = code ? this.text(wsRel) : undefined;
    const at = text && code ? text.indexOf(code.replace(/\r\n/g, '\n')) : -1;
    if (at < 0) return undefined;
    const start = lineAt(text!, at);
    return { path: wsRel, startLine: start, endLine: start + lineCount(code) - 1 };
  }

  /** findCode, else lines 1..n of the code (the file changed since dbt read it). */
  codeRange(wsRel: string, code: string | undefined): SourceRange {
    return this.findCode(wsRel, code) ?? { path: wsRel, startLine: 1, endLine: lineCount(code) };
  }

  /** The `{% macro name(...) %}...{% endmacro %}` (or docs) block, for when the exact code is not in the file. */
  blockRange(wsRel: string, kind: 'macro' | 'docs', name: string, code: string | undefined): SourceRange {
    const text = this.text(wsRel);
    const open = text ? new RegExp(`\\{%-?\\s*${kind}\\s+${escapeRe(name)}\\b`).exec(text) : null;
    if (!text || !open) return { path: wsRel, startLine: 1, endLine: lineCount(code) };
    const close = new RegExp(`\\{%-?\\s*end${kind}\\s*-?%\\}`).exec(text.slice(open.index));
    const start = lineAt(text, open.index);
    const end = close ? lineAt(text, open.index + close.index) : start + lineCount(code) - 1;
    return { path: wsRel, startLine: start, endLine: end };
  }

  /** The YAML entry of a resource (or of one of its columns, or of a test under either), falling back to the
   *  enclosing entry, then to line 1 when the file or entry is not found. */
  yamlRange(wsRel: string, section: YamlSection, name: string, column?: string, test?: string): SourceRange {
    let y = this.yamls.get(wsRel);
    if (!this.yamls.has(wsRel)) {
      const t = this.text(wsRel);
      y = t === undefined ? undefined : YamlEntries.parse(t);
      this.yamls.set(wsRel, y);
    }
    const r = (test ? y?.get(section, name, column, test) : undefined)
      ?? y?.get(section, name, column) ?? (column ? y?.get(section, name) : undefined);
    return r ? { path: wsRel, ...r } : { path: wsRel, startLine: 1, endLine: 1 };
  }
}
