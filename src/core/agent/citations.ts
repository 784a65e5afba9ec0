// Citations of an agent answer: the dbt models behind the tables the final SQL read (their defining files) and the
// YAML entries of the columns it used; a model whose used columns are undocumented is cited by its YAML entry.
import type { Citation } from '../types';
import { CitationList, fromRange } from '../answer/citations';
import { AgentCatalog, columnDef } from './catalog';
import { sqlReferences } from './sqlRefs';

export interface SqlCitations {
  citations: Citation[];
  /** "fct_orders [1] (order_date [2], net_revenue [3])" per model, for the answer text. */
  lines: string[];
}

export function citationsForSql(sql: string, catalog: AgentCatalog): SqlCitations {
  const refs = sqlReferences(sql, catalog.warehouseTables, catalog.compare);
  const list = new CitationList();
  const lines: string[] = [];
  for (const table of refs.tables) {
    const node = catalog.of(table)?.node;
    if (!node) continue;
    const head = list.node(node);
    const cols: string[] = [];
    for (const { column } of refs.columns.filter(c => c.table === table)) {
      const def = columnDef(node, column);
      if (!def?.location) continue;
      cols.push(`${def.name} [${list.add({ ...fromRange(def.location, 'column', node), title: `${node.name}.${def.name}` })}]`);
    }
    const yaml = cols.length ? '' : list.yaml(node);
    lines.push(`${node.name} ${head}${yaml ? ` ${yaml}` : ''}${cols.length ? ` (${cols.join(', ')})` : ''}`.replace(/\s+/g, ' ').trim());
  }
  return { citations: list.list(), lines };
}
