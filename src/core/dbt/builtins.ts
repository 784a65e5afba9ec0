// Names that look like calls in Jinja but are not user macros: Jinja keywords and globals, and the
// functions and objects dbt puts in the rendering context. Calls to these are never listed as macros.

export const JINJA_KEYWORDS = new Set([
  'if', 'elif', 'else', 'endif', 'for', 'endfor', 'in', 'and', 'or', 'not', 'is', 'set', 'endset', 'do',
  'call', 'endcall', 'filter', 'endfilter', 'with', 'endwith', 'without', 'macro', 'endmacro', 'import',
  'from', 'include', 'extends', 'block', 'endblock', 'as', 'recursive', 'raw', 'endraw', 'autoescape',
  'true', 'false', 'none', 'True', 'False', 'None', 'continue', 'break',
]);

export const JINJA_GLOBALS = new Set(['range', 'lipsum', 'dict', 'cycler', 'joiner', 'namespace', 'caller', 'varargs', 'kwargs', 'loop', 'super']);

/** dbt context members (functions, objects, variables), as documented in dbt's Jinja reference. */
export const DBT_CONTEXT = new Set([
  'ref', 'source', 'config', 'var', 'env_var', 'this', 'is_incremental', 'log', 'print', 'return',
  'adapter', 'run_query', 'statement', 'exceptions', 'fromjson', 'tojson', 'fromyaml', 'toyaml',
  'zip', 'zip_strict', 'set', 'set_strict', 'modules', 'api', 'target', 'builtins', 'dbt_version',
  'execute', 'flags', 'graph', 'invocation_id', 'invocation_args_dict', 'dbt_metadata_envs', 'local_md5',
  'model', 'project_name', 'run_started_at', 'schemas', 'database', 'selected_resources', 'thread_id',
  'doc', 'load_result', 'store_result', 'store_raw_result', 'load_relation', 'load_cached_relation',
  'write', 'render', 'context', 'diff_of_two_dicts', 'debug', 'metric', 'sql', 'compiled_code',
  'should_full_refresh', 'should_store_failures', 'submit_python_job', 'column', 'columns',
  'try_or_compiler_error', 'pre_hooks', 'post_hooks', 'results', 'env', 'dispatch_list', 'defer_relation',
]);

/** Python str/list/dict methods: `x.append(...)` on an unknown `x` is a method call, not a package macro. */
export const PY_METHODS = new Set([
  'append', 'extend', 'insert', 'pop', 'remove', 'index', 'count', 'sort', 'reverse', 'copy', 'clear',
  'items', 'keys', 'values', 'get', 'update', 'setdefault', 'split', 'rsplit', 'join', 'upper', 'lower',
  'strip', 'lstrip', 'rstrip', 'replace', 'format', 'startswith', 'endswith', 'find', 'title',
  'capitalize', 'isdigit', 'splitlines', 'include', 'quote', 'render', 'incorporate',
]);

/** True when a called name (possibly dotted) should be reported as a macro call. */
export function isMacroName(name: string, locals: ReadonlySet<string>): boolean {
  const parts = name.split('.');
  const head = parts[0];
  if (locals.has(head) || DBT_CONTEXT.has(head) || JINJA_GLOBALS.has(head) || JINJA_KEYWORDS.has(head)) return false;
  if (parts.length === 1) return true;
  if (parts.length > 2) return false;
  // `dbt.date_trunc(...)` is a macro in dbt's own namespace; `x.items()` on a value is not a macro.
  return head === 'dbt' || !PY_METHODS.has(parts[1]);
}
