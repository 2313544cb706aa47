-- title: Programs run from /tmp or /dev/shm
-- description: Successful execs whose executable lives in a world-writable scratch directory, a classic sign of a dropped payload.
SELECT e.exec_id, e.ts_ns, e.pid, e.name, COALESCE(e.exepath, e.exe) AS path, e.cmdline,
       pe.name AS parent_name, COALESCE(e.container_id, 'host') AS container_id
FROM execs e LEFT JOIN execs pe ON pe.exec_id = e.parent_exec_id
WHERE e.kind = 'exec' AND e.res = 0
  AND (COALESCE(e.exepath, e.exe) LIKE '/tmp/%' OR COALESCE(e.exepath, e.exe) LIKE '/dev/shm/%'
       OR COALESCE(e.exepath, e.exe) LIKE '/var/tmp/%')
ORDER BY e.ts_ns;
