/**
 * Per-container counts over exec rows, each one grouped pass. Exec rows keep no index on their
 * container (schema/006_container_string_ids.sql), so counting a container's execs one
 * container at a time would read every exec row per container.
 */

/**
 * `container_id, processes, host_id`: the process rows of each container and the lowest host
 * they ran on. Process rows keep no container index either (schema/009_fewer_lineage_indexes.sql).
 */
export const PROCESSES_PER_CONTAINER = `SELECT container_id, count(*) AS processes, min(host_id) AS host_id FROM processes
  WHERE container_id IS NOT NULL GROUP BY container_id`;

/** `container_id, execs`: the execve rows (kind 'exec') of each container. */
export const EXECS_PER_CONTAINER = `SELECT container_id, count(*) AS execs FROM execs
  WHERE kind = 'exec' AND container_id IS NOT NULL GROUP BY container_id`;

/**
 * `container_id, alerts`: alerts attached to an exec of each container that no alert_links row
 * already places in a container (those are counted from alert_links).
 */
export const EXEC_ALERTS_PER_CONTAINER = `SELECT e.container_id, count(*) AS alerts FROM alerts ea JOIN execs e ON e.exec_id = ea.exec_id
  WHERE e.container_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM alert_links l WHERE l.alert_id = ea.alert_id AND l.container_id IS NOT NULL)
  GROUP BY e.container_id`;
