import { Command, Option } from 'commander';
import { isPostgresUrl } from '../../db/postgres/pg-url.js';
import { upgradeCase } from '../../db/upgrade-case.js';
import { PedigreeError } from '../../util/errors.js';
import { dbOption } from '../common-options.js';

export function makeUpgradeCommand(): Command {
  const cmd = new Command('upgrade')
    .description('bring a case written by an earlier pedigree up to this schema (read commands refuse it until then)')
    .addOption(dbOption())
    .addOption(new Option('--no-backup', 'do not keep a copy of the case as it was at CASE.bak'));
  cmd.addHelpText(
    'after',
    `
The pending schema migrations run in one transaction: if one fails, the case is left as it was.
Import upgrades a case by itself; query commands, the TUI and rules never write, so they ask for this.

Example:
  $ pedigree db upgrade --db case.db`,
  );
  cmd.action(async (opts: { db: string; backup: boolean }) => {
    if (isPostgresUrl(opts.db)) throw new PedigreeError('USAGE', 'db upgrade upgrades a SQLite case file; --db names a PostgreSQL case');
    const r = await upgradeCase(opts.db, { backup: opts.backup });
    if (r.applied.length === 0) {
      process.stdout.write(`${opts.db} is up to date (schema ${r.to ?? 'none'}); nothing to do\n`);
      return;
    }
    for (const name of r.applied) process.stdout.write(`applied ${name}\n`);
    process.stdout.write(`upgraded ${opts.db} from schema ${r.from ?? 'none'} to ${r.to ?? 'none'}\n`);
    if (r.backup) process.stdout.write(`the case as it was is kept at ${r.backup}\n`);
  });
  return cmd;
}
