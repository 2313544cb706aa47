import { Command } from 'commander';
import { isoTime } from '../../format/render-value.js';
import { dbOption, outputMode, outputOptions, timeOptions, timeStyle } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';

export function makeCapturesCommand(): Command {
  const cmd = new Command('captures').description('list the imported capture files').addOption(dbOption());
  for (const o of [...outputOptions(), ...timeOptions()]) cmd.addOption(o);
  cmd.addHelpText('after', '\nExample:\n  $ pedigree captures --db case.db --json');
  cmd.action((opts) => {
    const rows = withCase(
      opts.db,
      (db) =>
        db
          .prepare(`SELECT c.capture_id AS capture, c.path, c.format,
            COALESCE((SELECT group_concat(hh.hostname || CASE WHEN (SELECT count(*) FROM hosts x WHERE x.hostname = hh.hostname) > 1
                                THEN '#' || hh.host_id ELSE '' END, ',')
                      FROM capture_hosts ch JOIN hosts hh ON hh.host_id = ch.host_id WHERE ch.capture_id = c.capture_id), h.hostname) AS host, c.first_event_ns, c.last_event_ns,
            c.event_count AS events, c.process_count AS processes, c.exec_count AS execs, c.warning_count AS warnings,
            c.status, COALESCE(c.outcome, 'imported') AS outcome, c.sha256
          FROM captures c LEFT JOIN hosts h ON h.host_id = c.host_id ORDER BY c.capture_id`)
          .all() as Record<string, unknown>[],
    );
    const mode = outputMode(opts);
    const time = mode === 'table' ? timeFormatter(timeStyle(opts)) : (ns: bigint) => isoTime(ns) as string;
    const timeText = (ns: bigint | null): string | null => (ns === null ? null : time(ns));
    printRows(
      rows.map((r) => ({
        ...r,
        first_event_ns: undefined,
        last_event_ns: undefined,
        first_event: timeText(r.first_event_ns as bigint | null),
        last_event: timeText(r.last_event_ns as bigint | null),
        sha256: mode === 'table' ? String(r.sha256).slice(0, 16) : r.sha256,
      })),
      mode,
      ['capture', 'path', 'format', 'host', 'first_event', 'last_event', 'events', 'processes', 'execs', 'warnings', 'status', 'outcome', 'sha256'],
    );
  });
  return cmd;
}
