// The targets the figures are held to, and the table printed at the end.

export type ScaleName = 'medium' | 'large';

export interface ScaleFigures {
  scale: ScaleName;
  generationMs?: number;
  reusedProject: boolean;
  models: number;
  yamlColumns: number;
  commits: number;
  documents?: number;
  coldIndexMs?: number;
  coldIndexWithModelMs?: number;
  incrementalMs?: number;
  askP50Ms?: number;
  askP95Ms?: number;
  indexBytes?: number;
  peakRssMb?: number;
  peakRssWithModelMb?: number;
  embedder?: string;
  modelEmbedder?: string;
  errors: string[];
}

export interface Check {
  scale: ScaleName;
  metric: keyof ScaleFigures;
  label: string;
  limit: number;
  unit: string;
  value?: number;
  ok: boolean;
}

interface Target {
  metric: keyof ScaleFigures;
  label: string;
  limit: number;
  unit: string;
  scales: ScaleName[];
}

export const TARGETS: Target[] = [
  { metric: 'coldIndexMs', label: 'cold index, medium (hashed embeddings)', limit: 10_000, unit: 'ms', scales: ['medium'] },
  { metric: 'coldIndexMs', label: 'cold index, large (hashed embeddings)', limit: 60_000, unit: 'ms', scales: ['large'] },
  { metric: 'incrementalMs', label: 'one-model refresh (median of 5)', limit: 300, unit: 'ms', scales: ['medium', 'large'] },
  { metric: 'askP95Ms', label: 'ask p95 (warm engine)', limit: 100, unit: 'ms', scales: ['medium', 'large'] },
  { metric: 'peakRssMb', label: 'peak RSS, large', limit: 500, unit: 'MB', scales: ['large'] },
];

export function checkTargets(f: ScaleFigures): Check[] {
  return TARGETS.filter(t => t.scales.includes(f.scale)).map(t => {
    const value = f[t.metric] as number | undefined;
    return { scale: f.scale, metric: t.metric, label: t.label, limit: t.limit, unit: t.unit, value, ok: value !== undefined && value < t.limit };
  });
}

const ROWS: [keyof ScaleFigures, string, string][] = [
  ['generationMs', 'project generation', 'ms'],
  ['documents', 'documents indexed', ''],
  ['coldIndexMs', 'cold index (hashed)', 'ms'],
  ['coldIndexWithModelMs', 'cold index (MiniLM-shaped model)', 'ms'],
  ['incrementalMs', 'one-model refresh (median of 5)', 'ms'],
  ['askP50Ms', 'ask p50', 'ms'],
  ['askP95Ms', 'ask p95', 'ms'],
  ['indexBytes', 'index size', 'bytes'],
  ['peakRssMb', 'peak RSS (hashed run)', 'MB'],
  ['peakRssWithModelMb', 'peak RSS (model run)', 'MB'],
];

export function formatTable(all: ScaleFigures[], checks: Check[]): string {
  const lines: string[] = [];
  for (const f of all) {
    lines.push(`\n${f.scale}: ${f.models} models, ${f.yamlColumns} YAML columns, ${f.commits} commits` +
      `${f.reusedProject ? ' (project reused)' : ''}${f.embedder ? `; embedder ${f.embedder}` : ''}`);
    for (const [key, label, unit] of ROWS) {
      const v = f[key] as number | undefined;
      if (v === undefined) continue;
      const check = checks.find(c => c.scale === f.scale && c.metric === key);
      const mark = check ? `${check.ok ? '✓' : '✗'} < ${fmt(check.limit, check.unit)}` : '';
      lines.push(`  ${label.padEnd(34)} ${fmt(v, unit).padStart(12)}  ${mark}`);
    }
    for (const e of f.errors) for (const l of e.split('\n').filter(l => !/^\s+at /.test(l)).slice(0, 3)) lines.push(`  ! ${l}`);
  }
  const failed = checks.filter(c => !c.ok);
  lines.push('', `targets: ${checks.length - failed.length} of ${checks.length} met` +
    (failed.length ? ` — missed: ${failed.map(c => `${c.scale} ${c.label}${c.value === undefined ? ' (not measured)' : ''}`).join('; ')}` : ''));
  return lines.join('\n');
}

function fmt(v: number, unit: string): string {
  if (unit === 'bytes') return v >= 1 << 20 ? `${(v / (1 << 20)).toFixed(1)} MB` : `${(v / 1024).toFixed(0)} KB`;
  if (unit === 'ms') return v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v * 10) / 10} ms`;
  return unit ? `${v} ${unit}` : String(v);
}
