import { Command } from 'commander';
import { openCaseForWrite } from '../../db/open.js';
import { isoTime } from '../../format/render-value.js';
import { mergeHosts } from '../../importer/merge-hosts.js';
import { PedigreeError } from '../../util/errors.js';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';

function hostId(value: string): number {
  if (!/^\d+$/.test(value)) throw new PedigreeError('USAGE', `a host id is a number (see pedigree hosts), got "${value}"`);
  return Number(value);
}

export function makeHostsCommand(): Command {
  const cmd = new Command('hosts').description('list the machines of the case (one per hostname and boot), or merge two host ids').addOption(dbOption());
  for (const o of outputOptions()) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
A host is a machine in one boot: two captures that name the same host but give different boot
times are two hosts. When they are one machine, merge them.

Examples:
  $ pedigree hosts --db case.db
  $ pedigree hosts merge 1 3 --db case.db`,
  );
  cmd.action((opts) => {
    const rows = withCase(
      opts.db,
      (db) =>
        db
          .prepare(`SELECT h.host_id AS host, h.hostname, h.boot_ns, h.cpus,
            (SELECT count(*) FROM capture_hosts ch WHERE ch.host_id = h.host_id) AS captures,
            (SELECT coalesce(sum(process_count), 0) FROM capture_hosts ch WHERE ch.host_id = h.host_id) AS processes,
            (SELECT coalesce(sum(exec_count), 0) FROM capture_hosts ch WHERE ch.host_id = h.host_id) AS execs
          FROM hosts h ORDER BY h.hostname, h.host_id`)
          .all() as Record<string, unknown>[],
    );
    printRows(
      rows.map((r) => ({ ...r, boot_ns: undefined, boot: isoTime(r.boot_ns as bigint | null) })),
      outputMode(opts),
      ['host', 'hostname', 'boot', 'cpus', 'captures', 'processes', 'execs'],
    );
  });
  cmd
    .command('merge')
    .description('merge host <other> into host <keep>: one machine after all')
    .argument('<keep>', 'host id to keep')
    .argument('<other>', 'host id whose rows move to <keep>')
    .action((keep: string, other: string) => {
      // --db belongs to `hosts`, before or after `merge`.
      const db = openCaseForWrite((cmd.opts() as { db: string }).db);
      try {
        const moved = mergeHosts(db, hostId(keep), hostId(other));
        process.stdout.write(`merged host ${other} into host ${keep} (${moved} processes moved)\n`);
      } finally {
        db.close();
      }
    });
  return cmd;
}
