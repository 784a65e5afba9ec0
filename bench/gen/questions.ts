// Questions templated from the generated names, with the facts a correct answer mentions (for later evals).
import type { Rng } from './random';
import type { Model, TestSpec } from './plan';

export type QuestionKind = 'where' | 'upstream' | 'tests' | 'column' | 'who' | 'grain';

export interface BenchQuestion {
  kind: QuestionKind;
  text: string;
  model: string;
  /** Workspace-relative path of the model file. */
  path: string;
  column?: string;
  /** Strings a correct answer contains: the path, the refs, test names, the description, the author, the grain. */
  expect: string[];
}

const TEXTS: Record<QuestionKind, string[]> = {
  where: ['Where is {m} defined?', 'Which file defines {m}?', 'Where does the {m} model live?'],
  upstream: ['What are the upstream models of {m}?', 'What does {m} depend on?', 'Which models feed into {m}?'],
  tests: ['Which tests cover {m}?', 'What data tests are defined on {m}?', 'How is {m} tested?'],
  column: ['What does the column {c} in {m} mean?', 'What is {m}.{c}?', 'Explain the {c} column of {m}.'],
  who: ['Who changed {m} recently?', 'Who last modified {m}?', 'Who has been working on {m}?'],
  grain: ['What is the grain of {m}?', 'What does one row of {m} represent?', 'What is the granularity of {m}?'],
};

const COUNTS: [QuestionKind, number][] = [['where', 9], ['upstream', 9], ['tests', 8], ['column', 8], ['who', 8], ['grain', 8]];

export function makeQuestions(rng: Rng, models: Model[], lastAuthor: (m: Model) => string | undefined): BenchQuestion[] {
  const out: BenchQuestion[] = [];
  for (const [kind, count] of COUNTS) {
    const pool = rng.shuffle(models.filter(m => eligible(kind, m)));
    for (const m of pool.slice(0, count)) {
      const col = kind === 'column' ? rng.pick(m.columns.slice(0, m.documented).filter(c => c.role !== 'pk')) : undefined;
      const text = rng.pick(TEXTS[kind]).replace('{m}', m.name).replace('{c}', col?.name ?? '');
      const q: BenchQuestion = { kind, text, model: m.name, path: m.path, expect: [] };
      if (col) q.column = col.name;
      q.expect = expectFor(kind, m, col?.description, lastAuthor(m));
      out.push(q);
    }
  }
  return out;
}

function eligible(kind: QuestionKind, m: Model): boolean {
  switch (kind) {
    case 'upstream': return m.refs.length > 0;
    case 'tests': return testsOf(m).length > 0;
    case 'column': return m.columns.slice(0, m.documented).some(c => c.role !== 'pk');
    case 'grain': return m.layer !== 'staging';
    default: return true;
  }
}

function expectFor(kind: QuestionKind, m: Model, description: string | undefined, author: string | undefined): string[] {
  switch (kind) {
    case 'where': return [m.path];
    case 'upstream': return [...m.refs];
    case 'tests': return [...new Set(testsOf(m))];
    case 'column': return description ? [description] : [];
    case 'who': return author ? [author] : [];
    case 'grain': return [m.grain];
  }
}

function testsOf(m: Model): string[] {
  const names = m.columns.slice(0, m.documented).flatMap(c => c.tests.map(testName));
  if (m.combinationKey) names.push('dbt_utils.unique_combination_of_columns');
  return names;
}

function testName(t: TestSpec): string {
  return t.kind;
}
