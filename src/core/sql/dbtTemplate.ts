// A statement that is still a dbt template ({{ ref(...) }}, {% if %}) cannot run in the warehouse: say so, and
// where the runnable SQL is. Found with the same Jinja scanner the dbt parser uses (comments and raw blocks honoured).
import { scanJinja } from '../dbt/jinja';

/** Why `sql` cannot run as written because it holds dbt Jinja, or undefined when it holds none. */
export function dbtTemplateProblem(sql: string): string | undefined {
  // The scanner blanks every tag and comment: any difference means Jinja is there.
  if (scanJinja(sql).sql === sql) return undefined;
  return 'This SQL contains dbt Jinja ({{ … }} / {% … %}), which the warehouse cannot run: select plain SQL, or run the compiled file '
    + 'from target/compiled/ (after `dbt compile`).';
}
