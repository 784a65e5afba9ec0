import type { Citation, DbtNode, SourceRange } from '../types';

/** Numbered, de-duplicated citations in the order an answer first uses them. */
export class CitationList {
  private readonly items: Citation[] = [];
  private readonly keys = new Map<string, number>();

  /** Adds a citation (or finds it) and returns its 1-based number. */
  add(c: Citation): number {
    const key = `${c.path}|${c.startLine ?? ''}|${c.endLine ?? ''}|${c.commit ?? ''}`;
    const found = this.keys.get(key);
    if (found) return found;
    this.items.push(c);
    this.keys.set(key, this.items.length);
    return this.items.length;
  }

  /** Cites a node's defining file (or its YAML entry when it has no file); returns '[n]' or ''. */
  node(node: DbtNode | undefined, kind?: string): string {
    const loc = node?.location ?? node?.yamlLocation;
    return node && loc ? `[${this.add(fromRange(loc, kind ?? node.resourceType, node))}]` : '';
  }

  /** Cites a node's YAML entry when it has one. */
  yaml(node: DbtNode | undefined): string {
    return node?.yamlLocation ? `[${this.add(fromRange(node.yamlLocation, `${node.resourceType}_yaml`, node))}]` : '';
  }

  range(loc: SourceRange | undefined, kind: string, node?: DbtNode): string {
    return loc ? `[${this.add(fromRange(loc, kind, node))}]` : '';
  }

  get size(): number {
    return this.items.length;
  }

  list(): Citation[] {
    return [...this.items];
  }
}

export function fromRange(loc: SourceRange, kind: string, node?: DbtNode): Citation {
  return { path: loc.path, startLine: loc.startLine, endLine: loc.endLine, kind, nodeId: node?.uniqueId, title: node?.name };
}

/** `path:start-end` for prose. */
export function where(loc: SourceRange | undefined): string {
  if (!loc) return '';
  return loc.startLine === loc.endLine ? `\`${loc.path}:${loc.startLine}\`` : `\`${loc.path}:${loc.startLine}-${loc.endLine}\``;
}
