// Every tool the agent offers, by tool set (warehouse, project), dbt-mcp style: one file per tool, its description beside it.
import type { ToolSpec } from '../../llm/types';
import type { AgentTool } from './tool';
import { listSchemas } from './warehouse/list_schemas';
import { listTables } from './warehouse/list_tables';
import { describeTable } from './warehouse/describe_table';
import { sampleData } from './warehouse/sample_data';
import { executeQuery } from './warehouse/execute_query';
import { search } from './project/search';
import { lineage } from './project/lineage';
import { history } from './project/history';

export const WAREHOUSE_TOOLS: AgentTool[] = [listSchemas, listTables, describeTable, sampleData, executeQuery];
export const PROJECT_TOOLS: AgentTool[] = [search, lineage, history];
export const AGENT_TOOLS: AgentTool[] = [...WAREHOUSE_TOOLS, ...PROJECT_TOOLS];

export function toolSpecs(tools: AgentTool[] = AGENT_TOOLS): ToolSpec[] {
  return tools.map(t => t.spec);
}

export function toolByName(name: string, tools: AgentTool[] = AGENT_TOOLS): AgentTool | undefined {
  return tools.find(t => t.spec.name === name);
}

export type { AgentTool, ToolContext, ToolRun, ToolSettings, RunState, SqlDialect } from './tool';
