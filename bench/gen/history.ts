// Plans the git history that grows the project: which commit adds, modifies or renames which file, who wrote it, when.
import type { Rng } from './random';
import { bodyFor, subjectFor, type Action, type Style } from './messages';
import { emailOf, type ProjectFile } from './project';
import { AUTHORS, TIMEZONES } from './vocab';

export interface Touch {
  file: number;
  action: Action;
}

export interface Author {
  name: string;
  email: string;
  tz: string;
  style: Style;
}

export interface PlannedCommit {
  touches: Touch[];
  /** Unix seconds. */
  time: number;
  author: number;
  subject: string;
  body: string;
}

export interface HistoryPlan {
  commits: PlannedCommit[];
  authors: Author[];
  /** Content versions (add + modifications) per file. */
  versions: number[];
  renames: number;
}

const SIZE_WEIGHTS = [40, 25, 18, 10, 7];
const MOD_WEIGHTS: Record<ProjectFile['kind'], number> = { model: 0.76, yaml: 0.1, macro: 0.06, seed: 0.02, scaffold: 0.03, other: 0.03 };
/** Fixed end so the same seed gives the same repository on any day. */
const END = Date.UTC(2025, 5, 27, 17, 0, 0) / 1000;
const YEARS = 3;

export function planHistory(rng: Rng, files: ProjectFile[], commitCount: number, company: string): HistoryPlan {
  const order = files.map((_, i) => i).sort((a, b) => files[a].rank - files[b].rank || a - b);
  const commits = slotCommits(rng, files, order, Math.max(1, commitCount));
  const renames = applyRenames(rng, files, commits);
  const authors = makeAuthors(rng, company);
  dateAndSign(rng, files, commits, authors);
  const versions = files.map(() => 0);
  for (const c of commits) for (const t of c.touches) if (t.action !== 'rename') versions[t.file]++;
  return { commits, authors, versions, renames };
}

/** Commit 0 is the scaffold; later commits touch 1-5 files each, adds spread over the whole history. */
function slotCommits(rng: Rng, files: ProjectFile[], order: number[], n: number): PlannedCommit[] {
  const scaffold = order.filter(i => files[i].kind === 'scaffold');
  const rest = order.filter(i => files[i].kind !== 'scaffold');
  const sizes = Array.from({ length: n - 1 }, () => 1 + rng.weighted(SIZE_WEIGHTS));
  const minMods = Math.min(Math.ceil(rest.length * 0.1) + 1, n - 1);
  let total = sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; total < rest.length + minMods && k < sizes.length * 5; k++) {
    const i = (rng.int(0, sizes.length - 1) + k) % sizes.length;
    if (sizes[i] < 5) { sizes[i]++; total++; }
  }
  // More files than 5 per commit can hold: the first commit imports the excess (an "initial import").
  const overflow = Math.max(0, rest.length - Math.max(0, total - (n > 1 ? 1 : 0)));
  const first: Touch[] = [...scaffold, ...rest.slice(0, overflow)].map(file => ({ file, action: 'add' as const }));
  const adds = rest.slice(overflow);
  const addAt = addPositions(rng, adds.length, total);
  const commits: PlannedCommit[] = [{ touches: first, time: 0, author: 0, subject: '', body: '' }];
  const added = new Map<ProjectFile['kind'], number[]>();
  const remember = (i: number) => added.set(files[i].kind, [...(added.get(files[i].kind) ?? []), i]);
  for (const t of first) remember(t.file);
  let slot = 0;
  let nextAdd = 0;
  for (const size of sizes) {
    const touches: Touch[] = [];
    for (let k = 0; k < size; k++, slot++) {
      if (nextAdd < adds.length && addAt[nextAdd] === slot) {
        touches.push({ file: adds[nextAdd], action: 'add' });
        nextAdd++;
        continue;
      }
      const pick = pickModified(rng, files, added, touches);
      if (pick >= 0) touches.push({ file: pick, action: 'modify' });
    }
    if (!touches.length) touches.push({ file: first[0].file, action: 'modify' });
    for (const t of touches) if (t.action === 'add') remember(t.file);
    commits.push({ touches, time: 0, author: 0, subject: '', body: '' });
  }
  return commits;
}

/** `count` increasing slot numbers in [0, total), denser early on (projects grow fastest when young). */
function addPositions(rng: Rng, count: number, total: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    let pos = Math.floor(total * Math.pow((i + rng.next()) / count, 1.15));
    if (i) pos = Math.max(pos, out[i - 1] + 1);
    out.push(Math.min(pos, total - (count - i)));
  }
  return out;
}

function pickModified(rng: Rng, files: ProjectFile[], added: Map<ProjectFile['kind'], number[]>, touches: Touch[]): number {
  const inCommit = (i: number) => touches.some(t => t.file === i);
  if (touches.length && rng.chance(0.35)) {
    const sib = files[touches[0].file].sibling;
    const i = sib ? (added.get('yaml') ?? []).find(y => files[y].path === sib) : undefined;
    if (i !== undefined && !inCommit(i)) return i;
  }
  const kinds = [...added.keys()];
  for (let attempt = 0; attempt < 6; attempt++) {
    const list = added.get(kinds[rng.weighted(kinds.map(k => MOD_WEIGHTS[k]))])!;
    const u = rng.next();
    const idx = rng.chance(0.5) ? Math.floor(u * list.length) : Math.min(list.length - 1, Math.floor(list.length * (1 - u * u)));
    if (!inCommit(list[idx])) return list[idx];
  }
  return -1;
}

/** Turns some model modifications into renames (from `formerPath`); at least one when the history allows. */
function applyRenames(rng: Rng, files: ProjectFile[], commits: PlannedCommit[]): number {
  const mods = new Map<number, { c: number; t: number }[]>();
  commits.forEach((c, ci) => c.touches.forEach((t, ti) => {
    if (t.action === 'modify' && files[t.file].formerPath) mods.set(t.file, [...(mods.get(t.file) ?? []), { c: ci, t: ti }]);
  }));
  const models = files.filter(f => f.kind === 'model').length;
  const chosen = rng.sample([...mods.keys()], Math.max(1, Math.round(models * 0.03)));
  for (const file of chosen) {
    const at = rng.pick(mods.get(file)!);
    const c = commits[at.c];
    const [touch] = c.touches.splice(at.t, 1);
    c.touches.unshift({ ...touch, action: 'rename' });
  }
  if (chosen.length || commits.length < 2) return chosen.length;
  return forceRename(files, commits) ? 1 : 0;
}

/** Tiny histories may have no modified model: append a rename to a later commit. */
function forceRename(files: ProjectFile[], commits: PlannedCommit[]): boolean {
  for (let ci = 0; ci < commits.length - 1; ci++) {
    const add = commits[ci].touches.find(t => t.action === 'add' && files[t.file].formerPath);
    if (!add) continue;
    // A later commit with room, or one whose modification can give way (never drop an add).
    const later = commits.slice(ci + 1).find(c => !c.touches.some(t => t.file === add.file) &&
      (c.touches.length < 5 || c.touches.some(t => t.action === 'modify')));
    if (!later) continue;
    if (later.touches.length >= 5) later.touches.splice(later.touches.findIndex(t => t.action === 'modify'), 1);
    later.touches.unshift({ file: add.file, action: 'rename' });
    return true;
  }
  return false;
}

function makeAuthors(rng: Rng, company: string): Author[] {
  const styles: Style[] = ['plain', 'conventional', 'ticket'];
  return rng.sample(AUTHORS, 20).map(name => ({
    name, email: emailOf(name, company), tz: rng.pick(TIMEZONES), style: styles[rng.weighted([5, 3, 2])],
  }));
}

/** Working-hours timestamps over three years; each commit by an author active then, often a domain's owner. */
function dateAndSign(rng: Rng, files: ProjectFile[], commits: PlannedCommit[], authors: Author[]): void {
  const start = END - YEARS * 365 * 86400;
  const times = commits.map((_, i) => (i === 0 ? start : workingTime(rng, start, END))).sort((a, b) => a - b);
  const windows = authors.map((_, i) => {
    if (i < 12) return [0, 1];
    const from = rng.next() * 0.7;
    return [from, Math.min(1, from + 0.3 + rng.next() * 0.7)];
  });
  const weights = authors.map((_, i) => 1 / Math.pow(i + 1, 0.8));
  const owners = new Map<string, number[]>();
  commits.forEach((c, i) => {
    c.time = times[i];
    const frac = (c.time - start) / (END - start);
    const active = authors.map((_, a) => (windows[a][0] <= frac && frac <= windows[a][1] ? weights[a] : 0));
    const lead = c.touches[0] ? files[c.touches[0].file] : undefined;
    const domain = lead?.domain ?? 'project';
    if (!owners.has(domain)) owners.set(domain, [rng.weighted(weights), rng.weighted(weights)]);
    const owner = owners.get(domain)!.find(a => active[a] > 0);
    c.author = owner !== undefined && rng.chance(0.55) ? owner : rng.weighted(active);
    if (!lead) { c.subject = 'Empty commit'; return; }
    const first = c.touches[0];
    c.subject = i === 0 ? 'Initial dbt project scaffold' : subjectFor(rng, authors[c.author].style, first.action, lead, c.touches.length);
    c.body = i === 0 ? '' : bodyFor(rng, c.touches.map(t => files[t.file].path));
  });
}

function workingTime(rng: Rng, start: number, end: number): number {
  for (;;) {
    const t = start + Math.floor(rng.next() * (end - start));
    const d = new Date(t * 1000);
    const day = d.getUTCDay();
    if ((day === 0 || day === 6) && rng.chance(0.9)) continue;
    const dayStart = t - (t % 86400);
    return dayStart + (8 * 3600) + Math.floor(rng.next() * 10 * 3600);
  }
}
