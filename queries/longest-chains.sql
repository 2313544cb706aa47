-- title: Longest ancestry chains
-- description: The execs with the most ancestors, deepest first. Walks the whole case top-down from its roots once (indexed), so it costs seconds on millions of execs.
-- param limit: how many execs to list
WITH RECURSIVE down(exec_id, depth) AS (
  SELECT exec_id, 0 FROM exec_rows WHERE parent_exec_id IS NULL
  UNION ALL
  SELECT c.exec_id, down.depth + 1 FROM down JOIN exec_rows c ON c.parent_exec_id = down.exec_id
  -- no depth cap that could hide a root: only a cycle (a damaged case) could walk further than there are rows
  WHERE down.depth <= (SELECT max(exec_id) FROM exec_rows)
)
SELECT down.depth, e.exec_id, e.pid, e.name, e.cmdline, COALESCE(e.container_id, 'host') AS container_id
FROM down JOIN execs e ON e.exec_id = down.exec_id
WHERE e.kind = 'exec'
ORDER BY down.depth DESC, e.exec_id
LIMIT :limit;
