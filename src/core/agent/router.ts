// Routes a question: about data values (how much, how many, trends, top N, anomalies) → the analytics agent;
// about the project (models, lineage, tests, docs, history) → the existing answerers. Cue words only, no dataset
// names: ties go to the project answerers, which never touch the warehouse.
import type { WorkspaceSnapshot } from '../workspace/snapshot';

type Cue = [RegExp, number];

const DATA_CUES: Cue[] = [
  [/\bhow (much|many)\b/, 1],
  [/\b(average|avg|median|mean (of|value|order|basket|price))\b|\bthe mean\b/, 1],
  [/\b(total|sum|count of|number of|amount of)\b/, 0.75],
  [/\btop\s*\d*\b|\b(most|least)\s+(often|common|popular|frequent(ly)?|sold|bought|ordered|valuable|profitable|expensive|active)\b/, 1],
  [/\b(highest|lowest|biggest|largest|smallest|best|worst)\b/, 1],
  [/\b(trend|trends|trending|over time|month over month|year over year|growth|grew|grow|declin\w*)\b/, 1],
  [/\b(last|this|previous|past|prior)\s+(\d+\s+)?(quarter|month|year|week|day)s?\b|\bq[1-4]\b|\b(19|20)\d\d\b|\b(yesterday|today|ytd|mtd)\b/, 1],
  [/\b(anomal\w*|outliers?|spikes?|unusual|abnormal|dips?|surges?)\b/, 1],
  [/\b(per|by|each)\s+(day|week|month|quarter|year|customer|product|category|country|region|channel|segment)\b/, 0.75],
  [/\b(together|correlat\w*|distribution|breakdown|compare[ds]?|versus|vs\.?)\b/, 0.75],
  [/\b(percentage|percent|share|ratio|rate|%)\b/, 0.5],
  [/\b(sell|sold|sales|revenue|spend|spent|bought|buy|purchas\w*|refund\w*|churn\w*|ltv|lifetime value)\b/, 0.5],
];

const PROJECT_CUES: Cue[] = [
  [/\b(dbt|models?|macros?|seeds?|snapshots?|exposures?|sources?|ya?ml|files?|lineage|upstream|downstream|depends?|dependenc\w*)\b/, 1],
  [/\b(commits?|git|changed|authors?|who (wrote|changed|owns|last|added|removed)|owners?)\b/, 1],
  [/\b(materiali[sz]\w*|incremental|grain|defined|definition|documented|documentation|docs?|tests?|tested|columns?|config\w*|contract)\b/, 1],
  [/\bwhat does .{1,80} mean\b|\bexplain\b|\bwhere is\b|\bdescribe\b|\bwhat is the (purpose|meaning)\b/, 1],
];

export interface RouteDecision {
  analytical: boolean;
  data: number;
  project: number;
  reason: string;
}

/** True when the question asks about data values and the snapshot has a readable warehouse catalog. */
export function isAnalyticalQuestion(question: string, snap: WorkspaceSnapshot): boolean {
  return routeQuestion(question, snap).analytical;
}

export function routeQuestion(question: string, snap: WorkspaceSnapshot): RouteDecision {
  const q = question.toLowerCase().replace(/[`'"]/g, ' ');
  const tables = snap.catalog && !snap.catalog.error ? snap.catalog.tables : [];
  if (!tables.length) return { analytical: false, data: 0, project: 0, reason: 'no readable warehouse' };
  let data = score(q, DATA_CUES);
  const project = score(q, PROJECT_CUES);
  // Words naming what the warehouse holds (table or column name parts) make a data cue stronger, never create one.
  if (data > 0 && mentionsData(q, tables)) data += 0.5;
  const analytical = data >= 1 && data > project;
  return { analytical, data, project, reason: analytical ? 'asks about data values' : data ? 'mentions the project as much as data' : 'no data-value cue' };
}

function score(q: string, cues: Cue[]): number {
  return cues.reduce((s, [re, w]) => s + (re.test(q) ? w : 0), 0);
}

function mentionsData(q: string, tables: { name: string; columns: { name: string }[] }[]): boolean {
  const words = new Set((q.match(/[a-z][a-z0-9]{2,}/g) ?? []).map(w => (w.length > 4 && w.endsWith('s') ? w.slice(0, -1) : w)));
  for (const t of tables) {
    for (const name of [t.name, ...t.columns.map(c => c.name)]) {
      for (const part of name.toLowerCase().split(/[^a-z0-9]+/)) {
        const p = part.length > 4 && part.endsWith('s') ? part.slice(0, -1) : part;
        if (p.length > 3 && words.has(p)) return true;
      }
    }
  }
  return false;
}
