// Text from the warehouse and the repository (comments, descriptions, sample rows, results) reaches the model only
// inside <untrusted> elements: the system prompt says their content is data, never instructions, and nothing inside
// can close the element early.

/** Wraps text as quoted data; `label` says where it came from (e.g. "comment of marts.fct_orders"). */
export function untrusted(label: string, text: string): string {
  return `<untrusted source="${escapeAttr(label)}">\n${escapeData(text)}\n</untrusted>`;
}

/** Neutralises anything that looks like our own element tags, so quoted text cannot end the quote. */
export function escapeData(text: string): string {
  return text.replace(/<(\/?)(untrusted|schema|system|tool|instructions)\b/gi, '&lt;$1$2');
}

export function escapeAttr(text: string): string {
  return text.replace(/[&"<>\n\r]/g, c => (c === '&' ? '&amp;' : c === '"' ? '&quot;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : ' '));
}

/** One line of at most `max` characters (descriptions in compact listings). */
export function oneLine(text: string | undefined, max = 160): string {
  const s = (text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
