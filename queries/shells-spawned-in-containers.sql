-- title: Shells spawned by a non-shell parent inside a container
-- description: The seed question of an intrusion: an execve of a shell in a container whose parent image is not itself a shell (nginx → sh, java → bash, …).
SELECT e.exec_id, e.ts_ns, e.pid, e.name, e.cmdline, pe.name AS parent_name, pe.cmdline AS parent_cmdline,
       e.container_id, c.name AS container_name, c.image, c.pod_name
FROM execs e
LEFT JOIN execs pe ON pe.exec_id = e.parent_exec_id
LEFT JOIN containers c ON c.container_id = e.container_id
WHERE e.kind = 'exec' AND e.res = 0
  AND e.container_id IS NOT NULL
  AND e.name IN ('ash', 'bash', 'csh', 'ksh', 'sh', 'tcsh', 'zsh', 'dash', 'fish')
  AND (pe.name IS NULL OR pe.name NOT IN ('ash', 'bash', 'csh', 'ksh', 'sh', 'tcsh', 'zsh', 'dash', 'fish'))
ORDER BY e.ts_ns;
