// search: the project index (models, YAML docs, macros, commits, warehouse tables) for the agent; passages are quoted data.
import { oneLine, untrusted } from '../../quote';
import { argNumber, argString, errorText, fail, type AgentTool } from '../tool';

export const description = 'Searches the dbt project index (models, YAML docs and column descriptions, doc blocks, macros, git commits, ' +
  'warehouse tables). Use it to find which model holds a metric or how a term (e.g. "net revenue") is defined.';

export const search: AgentTool = {
  spec: {
    name: 'search', description,
    parameters: {
      type: 'object',
      properties: { query: { type: 'string', description: 'Words, names or a question.' }, limit: { type: 'number', description: 'Passages to return (1-10, default 5).' } },
      required: ['query'], additionalProperties: false,
    },
  },
  async run(args, ctx) {
    const query = argString(args, 'query');
    if (!query) return fail('search needs `query`');
    try {
      const hits = await ctx.engine.search(query, argNumber(args, 'limit', 5, 1, 10));
      const blocks = hits.map((h, i) => {
        const c = h.doc.citation;
        const loc = `${c.path}${c.startLine ? `:${c.startLine}-${c.endLine ?? c.startLine}` : ''}`;
        return `[${i + 1}] ${h.doc.title} (${h.doc.kind}, ${loc})\n${oneLine(h.doc.text, 600)}`;
      });
      return {
        ok: true, text: blocks.length ? untrusted(`index search for "${query}"`, blocks.join('\n\n')) : 'No matches.',
        summary: `${hits.length} passages`, data: hits.map(h => ({ title: h.doc.title, kind: h.doc.kind, citation: h.doc.citation })),
      };
    } catch (e) {
      return fail(`search failed: ${errorText(e)}`);
    }
  },
};
