// Typed change requests in the chat ("document fct_orders", "rename model a to b", "generate an airflow dag"):
// a small, strict parser mapping the whole message to an approvable action (kind + target). Anything it does not
// recognise stays a question, so a loose match must never steal one: each pattern covers the entire message.

/** The approvable actions the chat can ask for ('review' shows findings; the others propose a change). */
export const CHAT_EDIT_KINDS = ['document', 'documentRewrite', 'documentFolder', 'tests', 'optimize', 'renameModel', 'renameColumn',
  'replaceHardcoded', 'staging', 'airflow', 'fixFailure', 'review'] as const;

export type ChatEditKind = typeof CHAT_EDIT_KINDS[number];

/** What an action is about. Only the fields its kind needs are read. */
export interface ChatEditTarget {
  /** URI string of the workspace folder; default: the node's folder, else the active one. */
  folder?: string;
  /** Model/source/seed/snapshot: unique_id, name or file path. */
  node?: string;
  /** renameModel, renameColumn. */
  newName?: string;
  /** renameColumn: the column to rename. */
  column?: string;
  /** documentFolder: workspace-relative folder ('' = all). */
  path?: string;
  /** staging: source name and table name. */
  source?: string;
  table?: string;
  /** airflow: one task per model (default) or task groups per folder. */
  mode?: 'per-model' | 'selector-groups';
  /** fixFailure: the unique_id of the failed node in run_results.json (default: the first failure with a fix). */
  failure?: string;
  /** optimize: what to aim for. */
  goal?: string;
}

export interface EditRequest {
  kind: ChatEditKind;
  target: ChatEditTarget;
}

const NAME = String.raw`([A-Za-z_][\w.\-]*)`;
const KIND_WORD = String.raw`(?:(?:the\s+)?(?:model|source|seed|snapshot)\s+)?`;
const PATH = String.raw`([\w.\-/]+)`;
/** Words that follow "document"/"review" in questions, never a node name. */
const NOT_NAMES = new Set(['how', 'what', 'why', 'where', 'when', 'which', 'who', 'the', 'this', 'that', 'it', 'all', 'everything', 'my', 'our']);

type Rule = [RegExp, (m: RegExpMatchArray) => EditRequest | undefined];

const node = (kind: ChatEditKind, name: string, more: ChatEditTarget = {}): EditRequest | undefined =>
  NOT_NAMES.has(name.toLowerCase()) ? undefined : { kind, target: { node: name, ...more } };

const RULES: Rule[] = [
  [re(String.raw`document\s+all\s+undocumented\s+(?:models|columns)(?:\s+(?:in|under)\s+${PATH})?`), m => ({ kind: 'documentFolder', target: { path: trimSlash(m[1] ?? '') } })],
  [re(String.raw`document\s+(?:the\s+)?folder\s+${PATH}`), m => ({ kind: 'documentFolder', target: { path: trimSlash(m[1]) } })],
  [re(String.raw`(?:re-?document|rewrite\s+(?:the\s+)?(?:docs|documentation|descriptions)\s+(?:of|for))\s+${KIND_WORD}${NAME}`), m => node('documentRewrite', m[1])],
  [re(String.raw`(?:document|write\s+(?:the\s+)?(?:docs|documentation)\s+for)\s+${KIND_WORD}${NAME}`), m => node('document', m[1])],
  [re(String.raw`(?:generate|write|add|create|infer)\s+(?:data\s+)?tests\s+(?:for|on|to)\s+${KIND_WORD}${NAME}`), m => node('tests', m[1])],
  [re(String.raw`review\s+${KIND_WORD}${NAME}`), m => node('review', m[1])],
  [re(String.raw`optimi[sz]e\s+(?:the\s+sql\s+(?:of|in)\s+)?${KIND_WORD}${NAME}(?:\s+for\s+(.+))?`), m => node('optimize', m[1], m[2] ? { goal: m[2].trim() } : {})],
  [re(String.raw`rename\s+(?:the\s+)?column\s+${NAME}\s+(?:of|in|on)\s+${KIND_WORD}${NAME}\s+to\s+${NAME}`), m => node('renameColumn', m[2], { column: m[1], newName: m[3] })],
  [re(String.raw`rename\s+${KIND_WORD}${NAME}\s+(?:to|as|into)\s+${NAME}`), m => node('renameModel', m[1], { newName: m[2] })],
  [re(String.raw`(?:replace|convert)\s+(?:the\s+)?hard-?coded\s+(?:relations|tables|references)\s+(?:in|of)\s+${KIND_WORD}${NAME}(?:\s+with\s+(?:ref|source).*)?`), m => node('replaceHardcoded', m[1])],
  [re(String.raw`(?:create|generate|make|add|write|scaffold)\s+(?:a\s+)?(?:new\s+)?staging\s+model\s+(?:for|from|on)\s+(?:the\s+)?(?:source\s+)?(?:table\s+)?([\w\-]+)\.([\w\-]+)`),
    m => ({ kind: 'staging', target: { source: m[1], table: m[2] } })],
  [re(String.raw`(?:create|generate|make|write|build)\s+(?:an?\s+|the\s+)?airflow\s+dag(?:\s+for\s+(?:the|this)\s+(?:dbt\s+)?project)?(\s+(?:with|using)\s+(?:task|selector)\s+groups|\s+per\s+folder)?`),
    m => ({ kind: 'airflow', target: { mode: m[1] ? 'selector-groups' : 'per-model' } })],
  [re(String.raw`fix\s+(?:the\s+)?(?:failing|failed)\s+(?:tests?|models?|run)(?:\s+${NAME})?`), m => ({ kind: 'fixFailure', target: m[1] ? { failure: m[1] } : {} })],
];

/** The action a chat message asks for, or undefined when it is a question (or anything else). */
export function parseEditRequest(text: string): EditRequest | undefined {
  const t = text.trim().replace(/^(?:please\s+|can\s+you\s+|could\s+you\s+)+/i, '').replace(/\s*(?:please)?[.!?]*$/i, '').replace(/`/g, '');
  if (!t || t.length > 300) return undefined;
  for (const [pattern, make] of RULES) {
    const m = t.match(pattern);
    if (m) return make(m);
  }
  return undefined;
}

/** How the chat shows the request as the turn's "question" (e.g. "Document fct_orders"). */
export function editLabel(r: EditRequest): string {
  const t = { ...r.target, ...(r.target.node ? { node: shortName(r.target.node) } : {}) };
  switch (r.kind) {
    case 'document': return `Document ${t.node ?? ''}`.trim();
    case 'documentRewrite': return `Rewrite the docs of ${t.node ?? ''}`.trim();
    case 'documentFolder': return `Document all undocumented models${t.path ? ` in ${t.path}` : ''}`;
    case 'tests': return `Generate tests for ${t.node ?? ''}`.trim();
    case 'optimize': return `Optimize ${t.node ?? ''}`.trim();
    case 'renameModel': return `Rename ${t.node ?? '?'} to ${t.newName ?? '?'}`;
    case 'renameColumn': return `Rename column ${t.column ?? '?'} of ${t.node ?? '?'} to ${t.newName ?? '?'}`;
    case 'replaceHardcoded': return `Replace hard-coded relations in ${t.node ?? ''}`.trim();
    case 'staging': return `New staging model for ${t.source ?? '?'}.${t.table ?? '?'}`;
    case 'airflow': return `Airflow DAG${t.mode === 'selector-groups' ? ' (task groups)' : ''}`;
    case 'fixFailure': return `Fix the failure${t.failure ? ` of ${t.failure}` : ''}`;
    case 'review': return `Review ${t.node ?? ''}`.trim();
  }
}

/** An approval flow's outcome, as the extension returns it to a chat. */
export interface EditOutcome {
  status: 'applied' | 'rejected' | 'invalid' | 'nothing';
  message: string;
  title?: string;
  explanation?: string;
}

/** The chat's words for an outcome: what happened first (a rejection said as one), then the details; the plan's
 *  explanation only when nothing was applied (it says why, or what to look at). */
export function editOutcomeMarkdown(o: EditOutcome, label: string): string {
  const head = o.status === 'applied' ? `**Applied:** ${o.title ?? label}`
    : o.status === 'rejected' ? '**Rejected: nothing was changed.**'
    : o.status === 'invalid' ? '**Not offered: the change did not pass validation.**'
    : '**Nothing to change.**';
  const explanation = o.status !== 'applied' && o.explanation?.trim() ? `\n\n---\n\n${o.explanation.trim()}` : '';
  return `${head}\n\n${o.message}${explanation}`;
}

/** `model.shop.fct_orders` → `fct_orders`, `source.shop.raw.orders` → `raw.orders`; names stay as they are. */
function shortName(node: string): string {
  const m = node.match(/^(?:model|seed|snapshot|source)\.[^.]+\.(.+)$/);
  return m ? m[1] : node;
}

function re(body: string): RegExp {
  return new RegExp(`^${body}$`, 'i');
}

function trimSlash(p: string): string {
  return p.replace(/^\.?\/+/, '').replace(/\/+$/, '');
}
