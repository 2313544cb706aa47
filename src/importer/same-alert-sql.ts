/**
 * An alert of the same host, time, rule and output that another capture brought; served by
 * alerts_host_time. Parameters: host_id, time_ns (NULL when the alert had none), rule, output,
 * the importing capture.
 */
export const SAME_ALERT_SQL = `SELECT 1 FROM alerts a
  WHERE a.host_id = ? AND a.time_ns IS ? AND a.rule = ? AND a.output = ? AND a.capture_id <> ? LIMIT 1`;
