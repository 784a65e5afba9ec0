// history: the git commits that changed a model's files (renames followed), newest first.
import { argNumber, argString, fail, type AgentTool } from '../tool';
import { untrusted } from '../../quote';

export const description = 'The git commits that changed a dbt model\'s SQL or YAML file (or any workspace file), newest first: ' +
  'sha, date, author, subject. Use it when a number looks odd and you want to know whether the model\'s logic changed.';

export const history: AgentTool = {
  spec: {
    name: 'history', description,
    parameters: {
      type: 'object',
      properties: { model: { type: 'string', description: 'Model name, unique_id or file path.' }, limit: { type: 'number', description: 'Commits (1-30, default 10).' } },
      required: ['model'], additionalProperties: false,
    },
  },
  async run(args, ctx) {
    const name = argString(args, 'model');
    if (!name) return fail('history needs `model`');
    const node = ctx.snap.graph.resolve(name);
    const paths = node ? [node.location?.path, node.yamlLocation?.path].filter((p): p is string => !!p) : [name.replace(/^\.\//, '')];
    const commits = [...new Map(paths.flatMap(p => ctx.snap.history.fileHistory(p)).map(c => [c.sha, c])).values()]
      .sort((a, b) => b.date.localeCompare(a.date)).slice(0, argNumber(args, 'limit', 10, 1, 30));
    const note = ctx.snap.historyData.reason ? `(git history: ${ctx.snap.historyData.reason})\n` : '';
    if (!commits.length) return { ok: true, text: `${note}No commits changed ${paths.join(', ')}.`, summary: '0 commits', data: [] };
    const lines = commits.map(c => `${c.sha.slice(0, 10)} ${c.date.slice(0, 10)} ${c.author}: ${c.subject}`);
    return {
      ok: true, text: `${note}${untrusted(`commits of ${paths.join(', ')}`, lines.join('\n'))}`, summary: `${commits.length} commits`,
      data: commits.map(c => ({ sha: c.sha, date: c.date, author: c.author, subject: c.subject })),
    };
  },
};
