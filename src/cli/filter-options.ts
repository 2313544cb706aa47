import type BetterSqlite3 from 'better-sqlite3';
import { Option } from 'commander';
import { filterQuery, loadEventFilter } from '../rules/filter/event-filter.js';
import { collect } from './commands/rules-options.js';

/** `--rules FILE` (repeatable): rules files whose lists and macros a filter expression may use. */
export function filterRulesOption(): Option {
  return new Option('--rules <file>', 'rules file whose lists and macros the filter may use (repeatable)').argParser(collect);
}

/**
 * The exec ids a `--filter` expression selects (with the lists and macros of `rulesFiles`), or
 * undefined without a filter: for scoping rule and chain runs to a part of the case.
 */
export function filteredExecIds(db: BetterSqlite3.Database, filterText: string | undefined, rulesFiles: string[]): Set<bigint> | undefined {
  if (filterText === undefined) return undefined;
  const q = filterQuery(loadEventFilter(filterText, rulesFiles), 'exec_id');
  return new Set(
    (
      db
        .prepare(q.sql)
        .raw(true)
        .safeIntegers(true)
        .all(...q.parameters) as unknown[][]
    ).map((r) => BigInt(r[0] as bigint)),
  );
}
