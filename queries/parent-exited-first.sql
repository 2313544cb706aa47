-- title: Processes whose parent exited before them
-- description: Processes that ran a program after their creator had already exited (orphans, double forks, payloads left behind): the lineage Falco loses on re-parenting.
SELECT p.process_id, p.pid, e.exec_id, e.name, e.cmdline, e.ts_ns AS exec_ns,
       pp.pid AS parent_pid, pe.name AS parent_name, pp.end_ns AS parent_exit_ns,
       COALESCE(p.container_id, 'host') AS container_id
FROM processes p
JOIN processes pp ON pp.process_id = p.parent_process_id
JOIN execs e ON e.process_id = p.process_id AND e.kind = 'exec'
JOIN execs pe ON pe.exec_id = pp.last_exec_id
WHERE pp.end_ns IS NOT NULL AND e.ts_ns > pp.end_ns
ORDER BY e.ts_ns;
