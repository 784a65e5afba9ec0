// Dependency order and cycle detection over node ids; iterative, so deep chains cannot overflow the stack.

/** Kahn's algorithm: `order` holds the ids that could be ordered, `rest` those stuck in or behind a cycle. */
export function topoSort(ids: string[], parentsOf: (id: string) => string[]): { order: string[]; rest: string[] } {
  const member = new Set(ids);
  const pending = new Map<string, number>();
  const kids = new Map<string, string[]>();
  for (const id of ids) {
    const ps = parentsOf(id).filter(p => member.has(p));
    pending.set(id, ps.length);
    for (const p of ps) {
      const list = kids.get(p);
      if (list) list.push(id);
      else kids.set(p, [id]);
    }
  }
  const queue = ids.filter(id => pending.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    order.push(id);
    for (const k of kids.get(id) ?? []) {
      const left = pending.get(k)! - 1;
      pending.set(k, left);
      if (left === 0) queue.push(k);
    }
  }
  const done = new Set(order);
  return { order, rest: ids.filter(id => !done.has(id)) };
}

/** Strongly connected components (Tarjan) among `ids` that are real cycles: 2+ members, or a self-loop. */
export function findCycles(ids: string[], parentsOf: (id: string) => string[]): string[][] {
  const member = new Set(ids);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  for (const root of ids) {
    if (index.has(root)) continue;
    const work: { id: string; edges: string[]; i: number }[] = [];
    const open = (id: string) => {
      index.set(id, counter); low.set(id, counter); counter++;
      stack.push(id); onStack.add(id);
      work.push({ id, edges: parentsOf(id).filter(p => member.has(p)), i: 0 });
    };
    open(root);
    while (work.length) {
      const top = work[work.length - 1];
      if (top.i < top.edges.length) {
        const next = top.edges[top.i++];
        if (!index.has(next)) open(next);
        else if (onStack.has(next)) low.set(top.id, Math.min(low.get(top.id)!, index.get(next)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.id)!));
      }
      if (low.get(top.id) === index.get(top.id)) {
        const comp: string[] = [];
        let x: string;
        do { x = stack.pop()!; onStack.delete(x); comp.push(x); } while (x !== top.id);
        if (comp.length > 1 || parentsOf(top.id).includes(top.id)) cycles.push(comp.reverse());
      }
    }
  }
  return cycles;
}
