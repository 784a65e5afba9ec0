// The answerer with a language model: grounded in numbered sources (the offline facts' citations first, then the
// retrieved passages), streamed, and its [n] citations checked against what was actually given to it.
import type { Answer, Citation, IndexDocument } from '../types';
import type { ChatModel } from '../llm/types';
import type { Answerer, AskContext, AskOptions } from './types';
import { OfflineAnswerer } from './offline';
import { buildPrompt, type PromptSource } from './prompt';

const RETRIEVED = 8;
const MAX_SOURCE_CHARS = 2500;

export class LlmAnswerer implements Answerer {
  readonly mode = 'llm' as const;
  private readonly offline = new OfflineAnswerer();

  constructor(private readonly model: ChatModel, private readonly docOf: (c: Citation) => IndexDocument | undefined) {}

  async answer(question: string, ctx: AskContext, opts: AskOptions = {}): Promise<Answer> {
    const facts = await this.offline.answer(question, ctx);
    const sources = await this.sources(question, ctx, facts.citations);
    const messages = buildPrompt(question, sources, facts.citations.length ? facts.answer : undefined);
    const result = await this.model.chat(messages, { onToken: opts.onToken, signal: opts.signal });
    const { text, cited } = checkCitations(result.content, sources.length);
    const citations = cited.map(n => sources[n - 1].citation);
    return { answer: text, mode: 'llm', citations };
  }

  private async sources(question: string, ctx: AskContext, factCitations: Citation[]): Promise<PromptSource[]> {
    const out: PromptSource[] = factCitations.map(c => ({ citation: c, text: this.docOf(c)?.text ?? c.title ?? c.path }));
    const seen = new Set(out.map(s => key(s.citation)));
    for (const hit of await ctx.retriever.search(question, RETRIEVED)) {
      if (seen.has(key(hit.doc.citation))) continue;
      seen.add(key(hit.doc.citation));
      out.push({ citation: hit.doc.citation, text: hit.doc.text });
    }
    return out.map(s => ({ ...s, text: s.text.slice(0, MAX_SOURCE_CHARS) }));
  }
}

function key(c: Citation): string {
  return `${c.path}|${c.startLine ?? ''}|${c.commit ?? ''}`;
}

/** Keeps [n] markers that point at a given source and renumbers them 1..k in first-use order (the order of the
 *  returned citations); markers pointing at nothing are dropped. */
export function checkCitations(text: string, count: number): { text: string; cited: number[] } {
  const cited: number[] = [];
  const number = (n: number) => {
    if (!cited.includes(n)) cited.push(n);
    return cited.indexOf(n) + 1;
  };
  const cleaned = text.replace(/\[(\d+(?:\s*,\s*\d+)*)\]/g, (_m, nums: string) => {
    const valid = nums.split(',').map(n => Number(n.trim())).filter(n => n >= 1 && n <= count);
    return valid.length ? `[${[...new Set(valid.map(number))].join(', ')}]` : '';
  });
  return { text: cleaned, cited };
}
