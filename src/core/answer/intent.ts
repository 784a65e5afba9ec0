// What kind of question this is, from its wording. Order matters: the first rule that fits wins,
// so the more specific kinds ("which sources feed", "what depends on") come before the general ones.

export type Intent =
  | 'history' | 'tests' | 'sources' | 'downstream' | 'upstream' | 'exposures' | 'macro_usage' | 'connection'
  | 'grain' | 'config' | 'metric' | 'column' | 'definition' | 'describe' | 'search';

const RULES: [Intent, RegExp][] = [
  ['history', /\b(who|when)\b.*\b(chang|modif|edit|touch|wr[io]te|author|creat|add|updat|last)|\b(history|commits?|git|blame)\b|\b(recent|latest|last)\b.*\b(chang|edit|modif|updat)|\bwhat changed\b|\bchanges (to|in|on)\b/i],
  ['tests', /\btest(s|ed|ing)?\b|\bcoverage\b|\bcovered\b|\bvalidat|\bdata quality\b|\bassert/i],
  ['sources', /\b(which|what) (raw |source )?(sources?|raw tables?|raw data)\b|\bsources? (feed|behind|for|of|into|used)|\braw (data|tables?) (behind|feed|for|of)|\boriginat/i],
  ['exposures', /\bexposures?\b|\bdashboards?\b|\bbi (tool|report)|\breports? (use|depend|built)|\bnotebooks?\b.*\b(use|depend|read)/i],
  ['downstream', /\b(which|what)\s+(?!does\b|do\b|is\b)(\w+\s+){0,3}(depends?|relies?|rely)\s+on\b|\bdownstream\b|\bimpact|\bbreak|\baffect|\bwhat (else )?(depends|relies|builds?) on\b|\b(which|what) (models?|things|nodes|tables|files) (depend|rely|use|read|consume|select from|ref(erence)?|call|invoke)s?\b|\bconsumers?\b|\bchildren\b|\bwho uses\b|\bused by\b|\bfeeds? into\b|\bif i (change|drop|rename|remove|delete)\b/i],
  ['upstream', /\bupstream\b|\bparents?\b|\bdepends? on\b|\bbuilt (from|on)\b|\binputs?\b|\bcomes? from\b|\bget(s)? (its|their)? ?data\b|\bfeeds?\b|\bread(s)? from\b|\bselects? from\b|\blineage\b|\bderived from\b/i],
  ['macro_usage', /\bmacro\b.*\b(used|called|usage|invoked|calls?)\b|\b(where|which models?).*\b(use|call|invoke)s?\b.*\bmacro\b|\bwhere is .* (used|called)\b|\bwho calls\b/i],
  ['connection', /\b(dev|prod|ci|default) target\b|\btarget (database|schema)\b|\bprofiles?(\.yml)?\b|\bwhich (database|warehouse|account)\b.*\b(write|connect|use|point)|\bconnection (settings|details)\b|\bwhere (is|does) .*(duckdb|database) file\b/i],
  ['grain', /\bgrain\b|\bone row per\b|\bgranularity\b|\bprimary key\b|\bunique(ly)? (key|identif)|\bwhat is a row\b|\beach row\b|\blevel of detail\b/i],
  ['config', /\bmateriali[sz]|\bconfig(ured|uration)?\b|\bincremental\b|\bunique_key\b|\bview or (a )?table\b|\btable or (a )?view\b|\bschema\b.*\b(built|land|go|write)|\bhow is .* built\b|\bstrategy\b|\btags?\b/i],
  ['metric', /\bmetrics?\b|\bsemantic\b|\bmeasures?\b|\bsaved quer|\bkpis?\b/i],
  ['column', /\bcolumns?\b|\bfields?\b|\b(mean|means|meaning)\b|\bstand for\b|\bdefinition of\b|\bwhat is (stored )?in\b|\bwhat values\b/i],
  ['definition', /\bwhere\b.*\b(defined|define|declared?|mapped|set|configured|lives?|located|find|written|implemented|is|are)\b|\bwhich file\b|\bshow me\b|\bopen\b|\blocate\b|\bpath\b/i],
  ['describe', /\bwhat (is|are|does)\b|\bexplain\b|\bdescribe\b|\btell me about\b|\bpurpose\b|\bhow (is|are|do|does)\b/i],
];

export function classify(question: string): Intent {
  for (const [intent, re] of RULES) if (re.test(question)) return intent;
  return 'search';
}

/** A depth asked for in words ("two levels", "depth 3", "all the way"); undefined when not said. */
export function requestedDepth(question: string): number | undefined {
  if (/\ball the way|\bfull(y)?\b|\bentire\b|\btransitiv|\ball (up|down)stream|\bend to end\b/i.test(question)) return 50;
  const m = /\b(depth|levels?|hops?)\s*(\d+)|\b(\d+)\s*(levels?|hops?|deep)\b/i.exec(question);
  if (m) return Number(m[2] ?? m[3]);
  const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
  const w = /\b(one|two|three|four|five)\s+(levels?|hops?)\b/i.exec(question);
  return w ? words[w[1].toLowerCase()] : undefined;
}
