// Removes secrets from text before it reaches a log or a message: API keys, bearer tokens, keys in URLs.
// Pure (no vscode import) so it is unit-tested.

const R = '«redacted»';

/** [pattern, replacement]: replacements keep the harmless prefix so the text still reads. */
const RULES: [RegExp, string][] = [
  [/\b(sk|pk|rk)-[A-Za-z0-9_-]{8,}/g, R],                                    // OpenAI-style keys
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${R}`],          // Authorization header values
  [/([?&](?:api[-_]?key|key|token|access_token|sig)=)[^&\s#]+/gi, `$1${R}`], // keys in query strings
  [/((?:api[-_]?key|apikey)["']?\s*[:=]\s*["']?)(?!«)[^"'\s,}&]+/gi, `$1${R}`], // api_key: value in JSON/YAML/messages
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${R}@`],                                  // user:password@host
];

export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const k of known) if (k && k.length >= 4) out = out.split(k).join(R);
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}
