import { existsSync, rmSync } from 'node:fs';
import { Command } from 'commander';
import { openCaseForWrite, openCaseReadOnly } from '../../db/open.js';
import { copyCaseFromPostgres } from '../../db/postgres/copy-from-postgres.js';
import { copyCaseToPostgres } from '../../db/postgres/copy-to-postgres.js';
import { isPostgresUrl, redactUrl } from '../../db/postgres/pg-url.js';
import { nulWarning, takeNulReplacements } from '../../db/postgres/pg-text-nul.js';
import { PedigreeError } from '../../util/errors.js';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';

export function makeCopyCommand(): Command {
  const cmd = new Command('copy')
    .description('copy a case between a SQLite file and PostgreSQL (either way), all of it or nothing')
    .option('--from <case>', 'source case: a SQLite file or postgres://… (default: --db)')
    .requiredOption('--to <case>', 'target case: postgres://… (created or added to), or a new SQLite file')
    .addOption(dbOption());
  for (const o of outputOptions()) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
A SQLite case copied into PostgreSQL gets fresh ids from the target's sequences (an empty target
keeps the source's ids), so several machines can copy their hosts' cases into one PostgreSQL case
at once. A capture already in the target is refused. Copying back writes a new SQLite file.

Examples:
  $ pedigree copy --from case.db --to postgres://analyst@db.example/incident42
  $ pedigree copy --from postgresql://analyst@db.example/incident42 --to laptop.db`,
  );
  cmd.action(async (given: { from?: string; db: string; to: string; json?: boolean; csv?: boolean }) => {
    const opts = { ...given, from: given.from ?? given.db };
    const fromPg = isPostgresUrl(opts.from);
    const toPg = isPostgresUrl(opts.to);
    let summary;
    if (!fromPg && toPg) {
      const src = openCaseReadOnly(opts.from);
      takeNulReplacements();
      try {
        summary = (await copyCaseToPostgres(src, opts.to, opts.from)).tables;
      } finally {
        src.close();
      }
      const nuls = takeNulReplacements();
      if (nuls > 0) process.stderr.write(`warning: ${nulWarning(nuls)}\n`);
    } else if (fromPg && !toPg) {
      if (existsSync(opts.to)) throw new PedigreeError('USAGE', `${opts.to} already exists: copy a PostgreSQL case into a new SQLite file`);
      const dest = openCaseForWrite(opts.to);
      try {
        summary = await copyCaseFromPostgres(opts.from, dest);
      } catch (err) {
        dest.close();
        rmSync(opts.to, { force: true });
        throw err;
      }
      dest.close();
    } else {
      throw new PedigreeError(
        'USAGE',
        `copy goes between a SQLite file and PostgreSQL: got ${fromPg ? redactUrl(opts.from) : opts.from} → ${toPg ? redactUrl(opts.to) : opts.to}`,
      );
    }
    printRows(
      summary.map((s) => ({ table: s.table, rows: s.rows })),
      outputMode(opts),
    );
  });
  return cmd;
}
