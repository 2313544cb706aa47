-- title: Descendants of an exec's process
-- description: The processes created under the process of one exec, recursively, each with its last image and its depth (0 = that process).
-- param exec_id: exec row id (execs.exec_id)
WITH RECURSIVE sub(process_id, depth) AS (
  SELECT process_id, 0 FROM execs WHERE exec_id = :exec_id
  UNION ALL
  SELECT c.process_id, sub.depth + 1
  FROM sub JOIN processes c ON c.parent_process_id = sub.process_id
  -- no depth cap that could hide a process: only a cycle (a damaged case) could walk further than there are rows
  WHERE sub.depth <= (SELECT max(process_id) FROM processes)
)
SELECT sub.depth, p.process_id, p.pid, e.exec_id, e.name, e.cmdline,
       COALESCE(p.container_id, 'host') AS container_id, p.start_ns, p.end_ns, p.exit_code
FROM sub JOIN processes p ON p.process_id = sub.process_id
JOIN execs e ON e.exec_id = p.last_exec_id
ORDER BY sub.depth, p.start_ns;
