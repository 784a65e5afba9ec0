// Renaming one column inside one SQL file, conservatively. Two modes:
// - 'own': the model that outputs the column. Its output name is changed where it is defined (the alias, or an
//   `as <new>` added to a pass-through column), and references to it further down the model follow.
// - 'downstream': a model reading the renamed model. References through that relation are renamed; a reference
//   that is a whole select item becomes `<new> as <old>`, so the downstream model's own columns do not change.
// A reference is edited only when it can be tied to the relation for sure; anything else becomes a note.
import type { TextEdit } from './types';
import {
  blockAt, cteByName, identText, isPunct, isWord, itemName, lineOfTok, relationByQualifier, type QueryBlock,
  type Relation, type SelectItem, type SqlModel,
} from './refactorSql';

export interface ColumnRenameSpec {
  /** Current column name (matched case-insensitively, quoted or not). */
  column: string;
  to: string;
  mode: 'own' | 'downstream';
  /** Relations that are the renamed model (downstream: its ref(); own: `{{ this }}` is added automatically). */
  isTarget: (r: Relation) => boolean;
  /** Known columns (lower case) of a ref/source relation, when the project or the catalog declares them. */
  columnsOf: (r: Relation) => string[] | undefined;
}

export interface SqlNote {
  line: number;
  reason: string;
}

export interface ColumnRenameResult {
  edits: TextEdit[];
  notes: SqlNote[];
  /** own mode: where the output name was defined (false = it could not be found or tied down). */
  defined: boolean;
}

class Renamer {
  readonly edits: TextEdit[] = [];
  readonly notes: SqlNote[] = [];
  private readonly col: string;
  private readonly carriers = new Set<string>();
  private readonly done = new Set<number>();
  private readonly occurrences: number[];

  constructor(private readonly m: SqlModel, private readonly spec: ColumnRenameSpec) {
    this.col = spec.column.toLowerCase();
    this.occurrences = m.toks.map((t, i) => ((t.kind === 'word' || t.kind === 'quoted') && identText(t).toLowerCase() === this.col ? i : -1)).filter(i => i >= 0);
  }

  run(): ColumnRenameResult {
    let defined = true;
    if (this.spec.mode === 'own') defined = this.define();
    for (const cte of this.m.ctes) {
      const inside = this.m.blocks.filter(b => b.select > cte.open && b.select < cte.close);
      let carries = false;
      for (const b of inside) carries = this.processBlock(b) || carries;
      for (const b of cte.blocks) carries = carries || this.starCarries(b);
      if (carries) this.carriers.add(cte.name.toLowerCase());
    }
    const outside = this.m.blocks.filter(b => !this.m.ctes.some(c => b.select > c.open && b.select < c.close));
    for (const b of outside) this.processBlock(b);
    if (this.spec.mode === 'downstream') this.checkOutputStar();
    this.noteJinja();
    return { edits: this.edits, notes: this.notes, defined };
  }

  // ------------------------------------------------------------ own mode: where the output name is made

  private define(): boolean {
    const first = this.m.finals[0];
    if (!first) { this.note(0, 'no final SELECT was found; rename the output column by hand'); return false; }
    return this.defineIn(first, 0);
  }

  private defineIn(b: QueryBlock, hops: number): boolean {
    if (hops > 20) return false;
    const item = b.items.find(i => itemName(this.m, i) === this.col);
    if (item) {
      if (item.aliasTok !== undefined) {
        this.replaceTok(item.aliasTok);
        this.markCarrier(b);
        return true;
      }
      const rel = this.relationOfItem(b, item);
      if (rel?.kind === 'cte') {
        const cte = cteByName(this.m, rel.parts[0]);
        const noted = this.notes.length;
        if (cte?.blocks[0] && this.defineIn(cte.blocks[0], hops + 1)) return true;
        this.notes.length = noted; // naming it here instead is fine: the failed search is not news
      }
      // A column passed through from an upstream relation: name it here.
      const last = item.to - 1;
      this.edits.push({ start: this.m.toks[last].end, end: this.m.toks[last].end, newText: ` as ${this.spec.to}` });
      this.done.add(last);
      this.markCarrier(b);
      return true;
    }
    const stars = b.items.filter(i => i.star);
    if (!stars.length) { this.note(b.select, `the output column ${this.spec.column} was not found in the final SELECT`); return false; }
    const providers = b.relations.filter(r => stars.some(s => !s.star!.qualifier || relKeyIs(r, s.star!.qualifier)))
      .filter(r => this.mayHave(r) !== false);
    if (providers.length === 1 && providers[0].kind === 'cte') {
      const cte = cteByName(this.m, providers[0].parts[0]);
      if (cte?.blocks[0]) return this.defineIn(cte.blocks[0], hops + 1);
    }
    this.note(b.select, `${this.spec.column} reaches the output through \`select *\` from ${providers.map(p => p.text.trim()).join(', ') || 'an upstream relation'}; ` +
      'list the columns explicitly (or rename it upstream) to rename it here');
    return false;
  }

  private markCarrier(b: QueryBlock): void {
    if (b.cte) this.carriers.add(b.cte.toLowerCase());
  }

  private relationOfItem(b: QueryBlock, item: SelectItem): Relation | undefined {
    const toks = this.m.toks;
    if (item.to - item.from >= 3 && isPunct(toks[item.to - 2], '.')) return relationByQualifier(b, identText(toks[item.to - 3]));
    return b.relations.length === 1 ? b.relations[0] : undefined;
  }

  /** false when the relation is known not to have the column; undefined when unknown. */
  private mayHave(r: Relation): boolean | undefined {
    if (r.kind === 'cte') {
      const cte = cteByName(this.m, r.parts[0]);
      const names = cte?.blocks[0] ? this.outputNames(cte.blocks[0], 0) : undefined;
      return names ? names.includes(this.col) : undefined;
    }
    if (r.kind === 'ref' || r.kind === 'source') {
      const cols = this.spec.columnsOf(r);
      return cols ? cols.includes(this.col) : undefined;
    }
    if (r.kind === 'subquery' && r.block) {
      const names = this.outputNames(r.block, 0);
      return names ? names.includes(this.col) : undefined;
    }
    return undefined;
  }

  /** Output columns of a block when they are all known. */
  private outputNames(b: QueryBlock, hops: number): string[] | undefined {
    if (hops > 20) return undefined;
    const out: string[] = [];
    for (const it of b.items) {
      if (!it.star) {
        const n = itemName(this.m, it);
        if (n) out.push(n);
        continue;
      }
      for (const r of b.relations.filter(x => !it.star!.qualifier || relKeyIs(x, it.star!.qualifier))) {
        let names: string[] | undefined;
        if (r.kind === 'cte') {
          const cte = cteByName(this.m, r.parts[0]);
          names = cte?.blocks[0] ? this.outputNames(cte.blocks[0], hops + 1) : undefined;
        } else if (r.kind === 'ref' || r.kind === 'source') names = this.spec.columnsOf(r);
        else if (r.kind === 'subquery' && r.block) names = this.outputNames(r.block, hops + 1);
        if (!names) return undefined;
        out.push(...names);
      }
    }
    return out;
  }

  // ------------------------------------------------------------ references

  private carries(r: Relation): boolean {
    if (r.kind === 'cte') return this.carriers.has(r.parts[0].toLowerCase());
    if (r.kind === 'this') return this.spec.mode === 'own';
    if (r.kind === 'subquery') return !!r.block && this.starCarries(r.block);
    return this.spec.isTarget(r);
  }

  /** A block whose `*` expands a carrying relation passes the new name on. */
  private starCarries(b: QueryBlock): boolean {
    return b.items.some(i => i.star && b.relations.some(r => (!i.star!.qualifier || relKeyIs(r, i.star!.qualifier)) && this.carries(r)));
  }

  /** Edits the references in one block; true when the block (own mode) now outputs the new name. */
  private processBlock(b: QueryBlock): boolean {
    let outputsNew = false;
    for (const idx of this.occurrences) {
      if (this.done.has(idx) || blockAt(this.m, idx) !== b || !this.isReference(b, idx)) continue;
      const toks = this.m.toks;
      const qualified = isPunct(toks[idx - 1], '.');
      let rel: Relation | undefined;
      if (qualified) {
        rel = relationByQualifier(b, identText(toks[idx - 2]));
        if (!rel) { this.note(idx, `\`${identText(toks[idx - 2])}.${identText(toks[idx])}\` names a relation this tool could not place`); continue; }
        if (!this.carries(rel)) continue;
      } else {
        const rels = b.relations.length ? b.relations : b.parent?.relations ?? [];
        const carrying = rels.filter(r => this.carries(r));
        if (!carrying.length) continue;
        if (this.inUsing(b, idx)) { this.note(idx, `\`using (${this.spec.column})\` joins on the column by name on both sides; rewrite it as an ON condition to rename one side`); continue; }
        const others = rels.filter(r => !this.carries(r));
        if (carrying.length > 1 || others.some(r => this.mayHave(r) !== false)) {
          this.note(idx, `unqualified \`${identText(toks[idx])}\` could come from ${rels.map(r => r.alias ?? r.text.trim()).join(' or ')}; qualify it, then rename again`);
          continue;
        }
      }
      const item = b.items.find(i => idx >= i.from && idx < i.to);
      const whole = !!item && item.aliasTok === undefined && (item.to - 1 === idx) && (item.from === idx || (qualified && item.from === idx - 2));
      this.replaceTok(idx);
      if (whole && this.spec.mode === 'downstream') {
        this.edits.push({ start: toks[idx].end, end: toks[idx].end, newText: ` as ${toks[idx].text}` });
      } else if (whole) outputsNew = true;
    }
    return outputsNew;
  }

  private isReference(b: QueryBlock, idx: number): boolean {
    const toks = this.m.toks;
    if (isPunct(toks[idx + 1], '(') || isPunct(toks[idx + 1], '.')) return false;
    if (isWord(toks[idx - 1], 'AS')) return false;
    if (b.items.some(i => i.aliasTok === idx)) return false;
    if (this.m.blocks.some(x => x.relations.some(r => r.aliasTok === idx || (idx >= r.firstTok && idx <= r.lastTok && r.kind !== 'subquery')))) return false;
    if (this.m.ctes.some(c => c.nameTok === idx)) return false;
    return true;
  }

  private inUsing(b: QueryBlock, idx: number): boolean {
    const toks = this.m.toks;
    for (let k = idx - 1; k > b.select; k--) {
      if (isPunct(toks[k], '(') && toks[k].depth === toks[idx].depth - 1) return isWord(toks[k - 1], 'USING');
      if (toks[k].depth < toks[idx].depth - 1) return false;
    }
    return false;
  }

  private checkOutputStar(): void {
    const first = this.m.finals[0];
    if (first && this.starCarries(first)) {
      this.note(first.select, `the model's output comes from \`select *\` over the renamed model: its own column ${this.spec.column} becomes ${this.spec.to} too (update its YAML and downstream models, or list the columns explicitly)`);
    }
  }

  /** Column names inside Jinja (macro arguments such as `cents_to_dollars('orders.x')`) are never edited. */
  private noteJinja(): void {
    const re = new RegExp(`(^|[^\\w])${this.col.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^\\w]|$)`, 'i');
    for (const tag of this.m.scan.tags) {
      if (/^\s*(ref|source|config)\s*\(/.test(tag.body) || !re.test(tag.body)) continue;
      this.notes.push({ line: tag.line, reason: `\`${this.spec.column}\` appears inside the Jinja \`${truncate(tag.body)}\`; check it by hand` });
    }
  }

  private replaceTok(idx: number): void {
    const t = this.m.toks[idx];
    const newText = t.kind === 'quoted' ? `"${this.spec.to}"` : this.spec.to;
    this.edits.push({ start: t.start, end: t.end, newText });
    this.done.add(idx);
  }

  private note(tok: number, reason: string): void {
    this.notes.push({ line: this.m.toks[tok] ? lineOfTok(this.m, tok) : 1, reason });
  }
}

function relKeyIs(r: Relation, q: string): boolean {
  const key = r.alias ?? (r.kind === 'cte' || r.kind === 'table' ? r.parts[r.parts.length - 1] : undefined);
  return !!key && key.toLowerCase() === q.toLowerCase();
}

function truncate(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}

export function renameColumnInSql(model: SqlModel, spec: ColumnRenameSpec): ColumnRenameResult {
  return new Renamer(model, spec).run();
}
