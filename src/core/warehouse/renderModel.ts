// Renders a model's Jinja for the local build: ref, source, config, var, this, target, env_var,
// is_incremental (always false: every build is a full refresh) and the project's simple macros.
import type { DbtNode, DocBlock } from '../types';
import type { BuildPlan, SchemaNamer } from './buildPlan';
import { generateSchemaName } from './relations';
import { JinjaError, bindMacroArgs, render, type JinjaContext, type JinjaValue, type MacroDef } from './jinjaLite';

export interface RenderEnv {
  plan: BuildPlan;
  project: string;
  vars: Record<string, unknown>;
  macros: Map<string, MacroDef>;
  /** Catalog name of the DuckDB file, for `target.database`. */
  database: string;
  /** Why a relation cannot be used (its node failed), by unique_id. */
  failed: Map<string, string>;
  env?: Record<string, string | undefined>;
}

const MAX_MACRO_DEPTH = 20;

/** The model's SQL, ready to wrap in CREATE TABLE/VIEW; throws JinjaError naming what it cannot render. */
export function renderModelSql(node: DbtNode, thisRelation: { sql: string; schema: string; identifier: string }, env: RenderEnv): string {
  let code = node.rawCode ?? '';
  if (node.resourceType === 'snapshot') code = snapshotBody(code);
  const sql = render(code, modelContext(node, thisRelation, env, {}, 0));
  return sql.trim().replace(/;\s*$/, '').trim();
}

function snapshotBody(code: string): string {
  const m = /\{%-?\s*snapshot\s+\w+\s*-?%\}([\s\S]*?)\{%-?\s*endsnapshot\s*-?%\}/.exec(code);
  return m ? m[1] : code;
}

function modelContext(node: DbtNode, self: { sql: string; schema: string; identifier: string }, env: RenderEnv, scope: Record<string, JinjaValue>, depth: number): JinjaContext {
  const ctx: JinjaContext = {
    lookup: path => {
      const name = path.join('.');
      if (path.length === 1 && path[0] in scope) return scope[path[0]];
      switch (name) {
        case 'this': return self.sql;
        case 'this.schema': return self.schema;
        case 'this.name': case 'this.identifier': case 'this.table': return self.identifier;
        case 'target.schema': return env.plan.targetSchema;
        case 'target.type': return 'duckdb';
        case 'target.name': return 'local';
        case 'target.database': case 'this.database': return env.database;
      }
      throw new JinjaError(`\`${name}\` is not supported by the local build`);
    },
    call: (path, args, kwargs) => {
      const name = path.join('.');
      switch (name) {
        case 'ref': return ref(args, env);
        case 'source': return source(args, env);
        case 'config': return '';
        case 'is_incremental': return false;
        case 'var': return projectVar(args, env);
        case 'env_var': return envVar(args, env);
      }
      const macro = path.length === 1 ? env.macros.get(path[0]) : path.length === 2 && path[0] === env.project ? env.macros.get(path[1]) : undefined;
      if (!macro) throw new JinjaError(`\`${name}()\` is not supported by the local build (only ref, source, config, var, this, is_incremental and the project's own simple macros)`);
      if (depth >= MAX_MACRO_DEPTH) throw new JinjaError(`macro ${name}() nests deeper than ${MAX_MACRO_DEPTH} calls`);
      const inner = modelContext(node, self, env, bindMacroArgs(macro, args, kwargs, ctx), depth + 1);
      try {
        return render(macro.body, inner);
      } catch (e) {
        throw e instanceof JinjaError && !e.message.startsWith('in macro ') ? new JinjaError(`in macro ${macro.name}(): ${e.message}`) : e;
      }
    },
  };
  return ctx;
}

function ref(args: JinjaValue[], env: RenderEnv): JinjaValue {
  const name = String(args.length > 1 ? args[1] : args[0] ?? '');
  const pkg = args.length > 1 ? String(args[0]) : undefined;
  if (pkg && pkg !== env.project) throw new JinjaError(`ref('${pkg}', '${name}') points into package ${pkg}, which the local build does not build`);
  const target = env.plan.byName.get(name.toLowerCase());
  if (!target) throw new JinjaError(`ref('${name}') matches no model, seed or snapshot of the project`);
  const failed = env.failed.get(target.node.uniqueId);
  if (failed !== undefined) throw new JinjaError(`depends on ${target.node.name}, which failed`);
  return target.sql;
}

function source(args: JinjaValue[], env: RenderEnv): JinjaValue {
  const [src, table] = args.map(a => String(a ?? ''));
  const s = env.plan.sourceByName.get(`${src}.${table}`.toLowerCase());
  if (!s) throw new JinjaError(`source('${src}', '${table}') is not declared in the project's sources YAML`);
  if (s.missing) throw new JinjaError(s.missing);
  return s.sql;
}

function projectVar(args: JinjaValue[], env: RenderEnv): JinjaValue {
  const name = String(args[0] ?? '');
  const scoped = env.vars[env.project];
  const value = scoped && typeof scoped === 'object' && name in scoped ? (scoped as Record<string, unknown>)[name] : env.vars[name];
  if (value === undefined) {
    if (args.length > 1) return args[1];
    throw new JinjaError(`var('${name}') is not defined in dbt_project.yml and has no default`);
  }
  if (value !== null && typeof value === 'object') throw new JinjaError(`var('${name}') is a list or mapping, which the local build cannot render`);
  return value as JinjaValue;
}

function envVar(args: JinjaValue[], env: RenderEnv): JinjaValue {
  const name = String(args[0] ?? '');
  const value = (env.env ?? process.env)[name];
  if (value !== undefined) return value;
  if (args.length > 1) return args[1];
  throw new JinjaError(`env_var('${name}') is not set and has no default`);
}

/** A YAML description with its `{{ doc('x') }}` blocks filled in; the raw text when it uses anything else. */
export function renderDescription(text: string | undefined, docs: DocBlock[]): string | undefined {
  if (!text || !/\{[{%]/.test(text)) return text || undefined;
  const ctx: JinjaContext = {
    lookup: p => { throw new JinjaError(p.join('.')); },
    call: (p, args) => {
      if (p.join('.') !== 'doc') throw new JinjaError(p.join('.'));
      const name = String(args.length > 1 ? args[1] : args[0]);
      const block = docs.find(d => d.name === name);
      if (!block) throw new JinjaError(name);
      return block.text.trim();
    },
  };
  try { return render(text, ctx).trim() || undefined; } catch { return text; }
}

/**
 * The project's own generate_schema_name macro (e.g. "use the custom schema as is"), evaluated per custom schema;
 * dbt's default rule when there is none or it needs more than this renderer understands.
 */
export function projectSchemaNamer(macros: Map<string, MacroDef>, targetSchema: string, database: string): SchemaNamer {
  const fallback: SchemaNamer = custom => generateSchemaName(custom, targetSchema);
  const macro = macros.get('generate_schema_name');
  if (!macro) return fallback;
  return custom => {
    const target: Record<string, JinjaValue> = { 'target.schema': targetSchema, 'target.name': 'local', 'target.type': 'duckdb', 'target.database': database };
    let scope: Record<string, JinjaValue> = {};
    const ctx: JinjaContext = {
      lookup: p => {
        const k = p.join('.');
        if (k in scope) return scope[k];
        if (k in target) return target[k];
        throw new JinjaError(k);
      },
      call: p => { throw new JinjaError(p.join('.')); },
    };
    try {
      scope = bindMacroArgs(macro, [custom ?? null, undefined].slice(0, macro.params.length), {}, ctx);
      return render(macro.body, ctx).trim() || fallback(custom);
    } catch {
      return fallback(custom);
    }
  };
}
