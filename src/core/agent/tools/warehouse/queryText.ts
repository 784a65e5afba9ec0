// Shared by sample_data and execute_query: what the model receives for a result (masked, quoted), and the exact
// schema of the tables a failed statement used.
import type { QueryResult } from '../../../warehouse/connection';
import { quotedSchemaText, type AgentTable } from '../../catalog';
import { markdownTable, resultSummary } from '../../resultText';
import { untrusted } from '../../quote';
import { sqlReferences } from '../../sqlRefs';
import type { ToolContext } from '../tool';

/** Rows shown to the model at most; the UI gets them all. */
export const MODEL_ROWS = 50;

export function resultForModel(label: string, sent: QueryResult, masked: string[]): string {
  const note = masked.length ? `\nPersonal-data columns masked before reaching you: ${masked.join(', ')} (the user sees the real values).` : '';
  return `${resultSummary(sent)}${note}\n${untrusted(label, markdownTable(sent, MODEL_ROWS))}`;
}

/** The tables a statement reads, from the catalog. */
export function tablesOf(sql: string, ctx: ToolContext): AgentTable[] {
  return sqlReferences(sql, ctx.catalog.warehouseTables, ctx.catalog.compare).tables
    .map(t => ctx.catalog.of(t)).filter((t): t is AgentTable => !!t);
}

export function schemasText(tables: AgentTable[]): string {
  return tables.map(quotedSchemaText).join('\n');
}
