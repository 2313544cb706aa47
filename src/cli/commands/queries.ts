import { Command, Option } from 'commander';
import { runBoundedQuery } from '../../db/sql-guard.js';
import { bindCannedParams, findCannedQuery, listCannedQueries } from '../../queries/canned.js';
import { PedigreeError } from '../../util/errors.js';
import { dbOption, outputMode, outputOptions, unusedDbOption } from '../common-options.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';
import { effectiveLimit, limitOptions, reportTruncation } from '../bounded.js';

function collectParam(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new PedigreeError('USAGE', `--param expects name=value, got "${value}"`);
  previous[value.slice(0, eq)] = value.slice(eq + 1);
  return previous;
}

export function makeQueriesCommand(): Command {
  const queries = new Command('queries').description('list and run the canned queries in queries/*.sql');
  const list = new Command('list').description('list canned queries with their parameters');
  list.addOption(unusedDbOption());
  for (const o of outputOptions()) list.addOption(o);
  list.action((opts) => {
    printRows(
      listCannedQueries().map((q) => ({ name: q.name, title: q.title, params: q.params.map((p) => p.name).join(', ') })),
      outputMode(opts),
    );
  });
  const run = new Command('run')
    .description('run a canned query on the case (read-only)')
    .argument('<name>', 'query name (file name without .sql)')
    .addOption(dbOption())
    .addOption(new Option('--param <name=value>', 'a :named parameter (repeatable)').argParser(collectParam));
  for (const o of [...limitOptions(1000, 'rows'), ...outputOptions()]) run.addOption(o);
  run.addHelpText(
    'after',
    `
Examples:
  $ pedigree queries run shells-spawned-in-containers
  $ pedigree queries run ancestors --param exec_id=16
  $ sqlite3 case.db -cmd ".param set :exec_id 16" < queries/ancestors.sql`,
  );
  run.action((name: string, opts) => {
    const q = findCannedQuery(name);
    const params = bindCannedParams(q, opts.param ?? {});
    const limit = effectiveLimit(opts);
    const result = withCase(opts.db, (db) => runBoundedQuery(db, q.sql, params, limit ?? Number.POSITIVE_INFINITY));
    printRows(result.rows, outputMode(opts), result.columns);
    if (result.truncated && limit !== undefined) reportTruncation('rows', limit, outputMode(opts) === 'json');
  });
  queries.addCommand(list);
  queries.addCommand(run);
  return queries;
}
