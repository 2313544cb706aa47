import { Command } from 'commander';
import { runBoundedQuery } from '../../db/sql-guard.js';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';
import { effectiveLimit, limitOptions, reportTruncation } from '../bounded.js';

export function makeQueryCommand(): Command {
  const cmd = new Command('query')
    .description('run ad-hoc SQL on the case (read-only connection, bounded rows)')
    .argument('<sql>', 'a SELECT (or WITH …) statement')
    .addOption(dbOption());
  for (const o of [...limitOptions(1000, 'rows'), ...outputOptions()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
The schema is documented in schema/001_case.sql. Views: spawned_execs, exec_details,
exec_lineage, current_images.

Examples:
  $ pedigree query "SELECT name, count(*) AS n FROM spawned_execs GROUP BY name ORDER BY n DESC"
  $ pedigree query "SELECT * FROM exec_lineage WHERE name = 'cat'" --json`,
  );
  cmd.action((sql: string, opts) => {
    const limit = effectiveLimit(opts);
    const result = withCase(opts.db, (db) => runBoundedQuery(db, sql, [], limit ?? Number.POSITIVE_INFINITY));
    printRows(result.rows, outputMode(opts), result.columns);
    if (result.truncated && limit !== undefined) reportTruncation('rows', limit, outputMode(opts) === 'json');
  });
  return cmd;
}
