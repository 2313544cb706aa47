import { Command } from 'commander';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';
import { EXEC_ALERTS_PER_CONTAINER, EXECS_PER_CONTAINER, PROCESSES_PER_CONTAINER } from '../../queries/per-container.js';

export function makeContainersCommand(): Command {
  const cmd = new Command('containers').description('list containers with their image, pod and process count').addOption(dbOption());
  for (const o of outputOptions()) cmd.addOption(o);
  cmd.addHelpText('after', '\nExample:\n  $ pedigree containers --db case.db');
  cmd.action((opts) => {
    const rows = withCase(
      opts.db,
      (db) =>
        db
          .prepare(`SELECT c.container_id AS id, c.name, c.image, c.pod_name AS pod, c.pod_namespace AS namespace,
            c.privileged, c.runtime,
            COALESCE(p.processes, 0) AS processes,
            COALESCE(x.execs, 0) AS execs,
            (SELECT count(*) FROM alert_links l WHERE l.container_id = c.container_id) + COALESCE(a.alerts, 0) AS alerts,
            c.metadata_source AS metadata
          FROM containers c
          LEFT JOIN (${PROCESSES_PER_CONTAINER}) p ON p.container_id = c.container_id
          LEFT JOIN (${EXECS_PER_CONTAINER}) x ON x.container_id = c.container_id
          LEFT JOIN (${EXEC_ALERTS_PER_CONTAINER}) a ON a.container_id = c.container_id
          ORDER BY c.container_id`)
          .all() as Record<string, unknown>[],
    );
    printRows(
      rows.map((r) => ({ ...r, privileged: r.privileged === null ? null : Number(r.privileged) === 1 })),
      outputMode(opts),
    );
  });
  return cmd;
}
