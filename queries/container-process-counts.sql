-- title: Processes per container
-- description: How many processes and execve calls each container saw, with its image and pod, busiest first. Host processes are counted under 'host'.
SELECT COALESCE(p.container_id, 'host') AS container_id, c.name, c.image, c.pod_name,
       count(*) AS processes,
       (SELECT count(*) FROM execs e WHERE e.kind = 'exec' AND e.container_id IS NOT DISTINCT FROM p.container_id) AS execs
FROM processes p LEFT JOIN containers c ON c.container_id = p.container_id
GROUP BY p.container_id, c.name, c.image, c.pod_name
ORDER BY processes DESC;
