/**
 * Keeps the rows that match and their ancestors, so a filtered tree stays a tree (as pstree
 * does with a pattern). Rows are depth-first with depths, as descendantsOf returns them.
 */
export function pruneTree<T extends { depth: number }>(rows: T[], matches: (row: T) => boolean): T[] {
  const keep = new Array<boolean>(rows.length).fill(false);
  const path: number[] = [];
  rows.forEach((row, i) => {
    while (path.length > 0 && (rows[path[path.length - 1] as number] as T).depth >= row.depth) path.pop();
    path.push(i);
    if (!matches(row)) return;
    for (let k = path.length - 1; k >= 0; k--) {
      const index = path[k] as number;
      if (keep[index] && index !== i) break;
      keep[index] = true;
    }
  });
  return rows.filter((_row, i) => keep[i]);
}
