/**
 * The capture that brought an alert of the same host, time, rule and output before this import:
 * one probe of alerts_same (host_id, time_ns, output_key, and the alert_id every index row ends
 * in), bounded to the alerts that were there before this import wrote any. Parameters: host_id,
 * time_ns (NULL when the alert had none), output_key, the highest alert_id before this import,
 * rule, output, the importing capture.
 */
export const SAME_ALERT_SQL = `SELECT a.capture_id FROM alerts a
  WHERE a.host_id = ? AND a.time_ns IS ? AND a.output_key = ? AND a.alert_id <= ? AND a.rule = ? AND a.output = ? AND a.capture_id <> ?
  LIMIT 1`;

/** The bound SAME_ALERT_SQL takes: read before the import writes its first alert. */
export const LAST_ALERT_ID_SQL = 'SELECT COALESCE(MAX(alert_id), 0) FROM alerts';
