import { Command } from 'commander';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';

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
            (SELECT count(*) FROM processes p WHERE p.container_id = c.container_id) AS processes,
            (SELECT count(*) FROM execs e WHERE e.container_id = c.container_id AND e.kind = 'exec') AS execs,
            ((SELECT count(*) FROM alert_links l WHERE l.container_id = c.container_id)
         + (SELECT count(*) FROM execs e JOIN alerts a ON a.exec_id = e.exec_id WHERE e.container_id = c.container_id
              AND NOT EXISTS (SELECT 1 FROM alert_links l WHERE l.alert_id = a.alert_id AND l.container_id IS NOT NULL))) AS alerts,
            c.metadata_source AS metadata
          FROM containers c ORDER BY c.container_id`)
          .all() as Record<string, unknown>[],
    );
    printRows(
      rows.map((r) => ({ ...r, privileged: r.privileged === null ? null : Number(r.privileged) === 1 })),
      outputMode(opts),
    );
  });
  return cmd;
}
