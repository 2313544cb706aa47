/**
 * Pre-order over a subtree's walked edges ([process_id, parent_id, …], the root's parent NULL),
 * siblings by process id, each process once (a damaged case may hold a cycle), at most `limit`.
 */
export function depthFirst(rootId: number, edges: readonly (readonly unknown[])[], limit: number): { id: number; depth: number }[] {
  const children = new Map<number, number[]>();
  let rootSeen = false;
  for (const [id, parent] of edges) {
    if (parent === null) {
      rootSeen = true;
      continue;
    }
    const p = Number(parent);
    const list = children.get(p);
    if (list) list.push(Number(id));
    else children.set(p, [Number(id)]);
  }
  if (!rootSeen) return [];
  const out: { id: number; depth: number }[] = [];
  const visited = new Set<number>();
  const stack: { id: number; depth: number }[] = [{ id: rootId, depth: 0 }];
  while (stack.length > 0 && out.length < limit) {
    const top = stack.pop() as { id: number; depth: number };
    if (visited.has(top.id)) continue;
    visited.add(top.id);
    out.push(top);
    const kids = children.get(top.id);
    if (!kids) continue;
    const unique = [...new Set(kids)].sort((a, b) => b - a); // pushed last-first: popped in id order
    for (const k of unique) stack.push({ id: k, depth: top.depth + 1 });
  }
  return out;
}
