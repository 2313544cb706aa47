import { Command } from 'commander';
import { citusInstalled, distribute, distributionPlan } from '../../db/postgres/distribute.js';
import { openPostgresForWrite } from '../../db/postgres/open-postgres.js';
import { isPostgresUrl } from '../../db/postgres/pg-url.js';
import { PedigreeError } from '../../util/errors.js';
import { dbOption } from '../common-options.js';
import { makeUpgradeCommand } from './upgrade.js';

export function makeDbCommand(): Command {
  const db = new Command('db').description('manage the case database (PostgreSQL: distribution over a Citus cluster)');
  const cmd = new Command('distribute')
    .description('distribute a PostgreSQL case over Citus: host-scoped tables by host_id, small tables as reference tables')
    .addOption(dbOption());
  cmd.addHelpText(
    'after',
    `
With the citus extension in the database this runs create_distributed_table / create_reference_table
for every case table not distributed yet; without it, it prints what it would run. See docs/scale-out.md.

Example:
  $ pedigree db distribute --db postgres://analyst@coordinator/incident42`,
  );
  cmd.action((opts: { db: string }) => {
    if (!isPostgresUrl(opts.db)) throw new PedigreeError('USAGE', `db distribute needs a PostgreSQL case (--db postgres://…), not ${opts.db}`);
    const conn = openPostgresForWrite(opts.db);
    try {
      const plan = distributionPlan();
      if (!citusInstalled(conn)) {
        const lines = [
          'The citus extension is not installed in this database, so nothing was changed. On a Citus',
          'coordinator, run CREATE EXTENSION citus; and this command again. It would run:',
          '',
          ...plan.map((s) => `  ${s.sql};  -- ${s.table}: ${s.how}`),
          '',
          'Every lineage, tree, ancestry and chain query names one host, so each runs on the one node',
          "holding that host's shard; rules run on every shard in parallel.",
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
        return;
      }
      const changed = distribute(conn);
      process.stdout.write(
        changed.length === 0
          ? 'every case table is already distributed\n'
          : `${changed.map((t) => `${t}: ${plan.find((s) => s.table === t)?.how}`).join('\n')}\n`,
      );
    } finally {
      conn.close();
    }
  });
  db.addCommand(cmd);
  db.addCommand(makeUpgradeCommand());
  return db;
}
