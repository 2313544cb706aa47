import type { Db } from '../../db/open.js';
import type { Alert } from '../output/alert.js';

const ALERT_ORIGIN = 'pedigree rules run';

/**
 * Writes alerts to the `alerts` table in one transaction. A rule that hits the same exec row
 * again replaces its earlier alert, so running the same rules twice leaves one row per hit.
 */
export function writeAlerts(db: Db, alerts: Alert[], rulesFiles: string[], runNs: bigint): void {
  const remove = db.prepare('DELETE FROM alerts WHERE origin = ? AND rule = ? AND exec_id = ?');
  const insert = db.prepare(
    `INSERT INTO alerts (exec_id, rule, priority, time_ns, output, output_fields_json, tags_json, source, origin, rules_file, run_ns, host_id)
     SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, host_id FROM execs WHERE exec_id = ?`,
  );
  const files = rulesFiles.join(',');
  db.transaction(() => {
    for (const a of alerts) {
      remove.run(ALERT_ORIGIN, a.rule, a.execId);
      insert.run(
        a.execId,
        a.rule,
        a.priority,
        a.timeNs,
        a.output,
        JSON.stringify(a.outputFields, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
        JSON.stringify(a.tags),
        a.source,
        ALERT_ORIGIN,
        files,
        runNs,
        a.execId,
      );
    }
  })();
}
