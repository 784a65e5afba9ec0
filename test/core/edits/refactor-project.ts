// A generated dbt project with many refs in every form dbt accepts, for the rename refactor tests. Deterministic
// (seeded), written to a temp dir; it records how many live references to each model it planted.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface GeneratedProject {
  dir: string;
  /** Live references to a model, per model name (SQL refs, Python refs, YAML refs and `name:` entries). */
  planted: Map<string, number>;
  /** Total ref() calls written in SQL and Python. */
  sqlRefs: number;
  models: string[];
  cleanup(): void;
}

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const FORMS: ((n: string) => string)[] = [
  n => `{{ ref('${n}') }}`,
  n => `{{ref("${n}")}}`,
  n => `{{ ref('gen', '${n}') }}`,
  n => `{{- ref( "${n}" ) -}}`,
  n => `{{ ref(\n    '${n}'\n) }}`,
  n => `{{ ref("gen", "${n}") }}`,
];

const VERSION_FORMS: string[] = [`{{ ref('dim_ver') }}`, `{{ ref('dim_ver', v=1) }}`, `{{ ref('dim_ver', version=2) }}`, `{{ ref("dim_ver", v="1") }}`];

export function generateProject(): GeneratedProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dea-refactor-gen-'));
  const rand = rng(42);
  const planted = new Map<string, number>();
  const plant = (name: string, n = 1) => planted.set(name, (planted.get(name) ?? 0) + n);
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  let sqlRefs = 0;

  write('dbt_project.yml', [
    'name: gen', "version: '1.0'", 'config-version: 2', 'profile: gen', 'model-paths: ["models"]', '',
    'models:', '  gen:', '    staging:', '      +materialized: view', '      stg_0:', '        +tags: ["base"]  # the busiest model',
    '    marts:', '      +materialized: table', '',
  ].join('\n'));

  const staging = Array.from({ length: 10 }, (_, i) => `stg_${i}`);
  const inter = Array.from({ length: 24 }, (_, i) => `int_${i}`);
  const marts = Array.from({ length: 24 }, (_, i) => `mart_${i}`);
  const models: string[] = [...staging, ...inter, ...marts, 'dim_ver_v1', 'dim_ver_v2'];

  write('models/staging/sources.yml', ['version: 2', 'sources:', '  - name: raw', '    tables:',
    ...staging.map((_, i) => `      - name: t_${i}`)].join('\n') + '\n');
  for (const [i, s] of staging.entries()) {
    write(`models/staging/${s}.sql`, `-- ${s}: staged from raw.t_${i}\nselect id, value_${i} as value from {{ source('raw', 't_${i}') }}\n`);
  }

  const pickParents = (pool: string[], k: number): string[] => {
    const chosen = new Set<string>();
    if (rand() < 0.55) chosen.add('stg_0');
    while (chosen.size < k) chosen.add(pool[Math.floor(rand() * pool.length)]);
    return [...chosen];
  };
  const modelSql = (name: string, parents: string[]): string => {
    const ctes = parents.map((p, j) => {
      const form = FORMS[Math.floor(rand() * FORMS.length)];
      plant(p);
      sqlRefs++;
      return `p${j} as (\n    select * from ${form(p)}\n)`;
    });
    let extra = '';
    if (rand() < 0.2) { // a ref kept in a variable
      const p = parents[0];
      plant(p);
      sqlRefs++;
      extra = `{%- set upstream = ref('${p}') -%}\n-- reads {{ upstream }}\n`;
    }
    const comment = parents.includes('stg_0') ? `-- built on stg_0 (a comment: never renamed)\n{# ref('stg_0') in a Jinja comment is not a dependency #}\n` : '';
    return `${comment}${extra}with ${ctes.join(',\n')}\nselect p0.id from p0\n`;
  };
  for (const [i, m] of inter.entries()) write(`models/intermediate/${m}.sql`, modelSql(m, pickParents([...staging, ...inter.slice(0, i)], 2 + Math.floor(rand() * 3))));
  for (const m of marts) write(`models/marts/${m}.sql`, modelSql(m, pickParents([...staging, ...inter], 2 + Math.floor(rand() * 3))));

  // A versioned model, referenced with v= and version=.
  write('models/marts/dim_ver_v1.sql', `select id from {{ ref('stg_1') }}\n`);
  write('models/marts/dim_ver_v2.sql', `select id, value from {{ ref('stg_1') }}\n`);
  plant('stg_1', 2);
  sqlRefs += 2;
  const verUsers = VERSION_FORMS.map((f, i) => {
    write(`models/marts/ver_user_${i}.sql`, `select id from ${f}\n`);
    models.push(`ver_user_${i}`);
    plant('dim_ver');
    sqlRefs++;
    return `ver_user_${i}`;
  });

  // A Python model.
  write('models/marts/py_model.py', `def model(dbt, session):\n    # dbt.ref('stg_2') in a comment is not a dependency\n    df = dbt.ref("stg_0")\n    return df\n`);
  models.push('py_model');
  plant('stg_0');
  sqlRefs++;

  // YAML: name entries, relationships tests in three quoting styles, exposures, a semantic model, unit tests.
  const yaml = ['version: 2', '', 'models:',
    '  - name: stg_0  # the base model',
    "    description: The base. Mentions ref('stg_0') in prose, which is left alone.",
    '    columns:', '      - name: id', '        data_tests: [unique, not_null]',
    '  - name: int_0', '    columns:', '      - name: id', '        data_tests:',
    '          - relationships:', "              to: ref('stg_0')", '              field: id',
    '  - name: int_1', '    columns:', '      - name: id', '        data_tests:',
    '          - relationships:', '              to: "ref(\'stg_0\')"', '              field: id',
    '  - name: int_2', '    columns:', '      - name: id', '        data_tests:',
    '          - relationships:', "              arguments:", "                to: 'ref(''stg_0'')'", '                field: id',
    '  - name: dim_ver', '    latest_version: 2', '    versions:', '      - v: 1', '      - v: 2',
    ...verUsers.map(u => `  - name: ${u}`),
    '', 'exposures:', '  - name: board', '    type: dashboard', '    owner: {name: Data}', '    depends_on:', "      - ref('stg_0')", "      - ref('mart_1')",
    '', 'semantic_models:', '  - name: base_sm', "    model: ref('stg_0')", '    entities:', '      - name: base', '        type: primary', '        expr: id',
    '', 'unit_tests:', '  - name: base_is_fine', '    model: stg_0', '    given: []', '    expect: {rows: []}', ''];
  plant('stg_0', 1 + 3 + 1 + 1 + 1); // name, three relationships, exposure, semantic model, unit test
  plant('mart_1');
  plant('dim_ver');
  write('models/schema.yml', yaml.join('\n'));
  write('models/docs.md', '{% docs base %}\nstg_0 is the base model; read it with ref(\'stg_0\').\n{% enddocs %}\n');

  return { dir, planted, sqlRefs, models, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every file of the project, by relative path. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.set(r, fs.readFileSync(path.join(dir, r), 'utf8'));
    }
  };
  walk('');
  return out;
}
