-- title: Ancestors of an exec
-- description: The chain from one exec up to its oldest known ancestor, one row per step, with depth (0 = the exec itself). Parents that exited are kept.
-- param exec_id: exec row id (execs.exec_id)
WITH RECURSIVE chain(exec_id, depth) AS (
  SELECT exec_id, 0 FROM execs WHERE exec_id = :exec_id
  UNION ALL
  SELECT x.parent_exec_id, chain.depth + 1
  FROM chain JOIN exec_rows x ON x.exec_id = chain.exec_id
  -- no depth cap that could hide the root: only a cycle (a damaged case) could walk further than there are rows
  WHERE x.parent_exec_id IS NOT NULL AND chain.depth <= (SELECT max(exec_id) FROM exec_rows)
)
SELECT chain.depth, e.exec_id, e.kind, e.pid, e.name, e.cmdline,
       COALESCE(e.container_id, 'host') AS container_id, e.ts_ns
FROM chain JOIN execs e ON e.exec_id = chain.exec_id
ORDER BY chain.depth;
