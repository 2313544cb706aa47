import { PedigreeError } from '../../util/errors.js';
import { Command, Option } from 'commander';
import { compileOutputFormat, parseOutputFormat, type CompiledFormat } from '../../format/output-format.js';
import { renderFieldValue } from '../../format/render-value.js';
import type BetterSqlite3 from 'better-sqlite3';
import { effectiveLimit, limitOptions, reportTruncation } from '../bounded.js';
import { dbOption, outputMode, outputOptions, type OutputMode } from '../common-options.js';
import { jsonValue, toCsv } from '../output.js';
import { parseIntArg } from '../parse-args.js';
import { withCase } from '../read-case.js';
import { loadEventFilter } from '../../rules/filter/event-filter.js';
import { filterRulesOption } from '../filter-options.js';

const DEFAULT_FORMAT = '*%evt.num %proc.pid %proc.ppid %proc.name %proc.pname %container.id %proc.cmdline';

export function makeExecsCommand(): Command {
  const cmd = new Command('execs')
    .description("one line per exec, formatted with sysdig's -p syntax")
    .argument('[filter]', "a sysdig/Falco filter, e.g. 'proc.pname=nginx and container.name contains web'")
    .addOption(dbOption())
    .addOption(
      new Option('-p, --print <format>', 'output format: %field tokens as in sysdig -p; a leading * prints missing fields as <NA>').default(DEFAULT_FORMAT),
    )
    .addOption(filterRulesOption())
    .addOption(new Option('--where <sql>', 'extra SQL condition over the exec row (alias e), e.g. "e.name = \'sh\'"'))
    .addOption(new Option('--capture <id>', 'only this capture').argParser(parseIntArg))
    .addOption(new Option('--all-kinds', 'include fork, snapshot and inferred images, not only execve/execveat'))
    .addOption(new Option('--explain', 'print the SQL and its parameters instead of running it'));
  for (const o of [...limitOptions(undefined, 'lines'), ...outputOptions()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Rows are execve/execveat events (failed ones too, showing the image that tried), ordered as in
the capture. Without a leading *, lines with any missing field are dropped, as in sysdig.
--json and --csv key each row by the fields of the format.

The filter is a Falco condition over the exec (the fields of pedigree fields; lists and macros
from --rules files), as sysdig takes it: sysdig -r FILE -p FORMAT 'FILTER and evt.type in
(execve, execveat) and evt.dir=<' prints the same lines.

Examples:
  $ pedigree execs -p '%proc.name %proc.cmdline' 'proc.pname=nginx and container.name contains ngin'
  $ pedigree execs 'proc.name in (shell_binaries)' --rules rules/falco-defaults.yaml
  $ pedigree execs -p '*%evt.num\\t%proc.name\\t%proc.pname\\t%proc.aname[2]\\t%container.id'
  $ pedigree execs -p '%proc.cmdline (%user.name) in %container.name' --where "e.container_id IS NOT NULL"`,
  );
  cmd.action((filterText: string | undefined, opts) => {
    const filter = filterText !== undefined ? loadEventFilter(filterText, opts.rules ?? []) : undefined;
    const compiled = compileOutputFormat(parseOutputFormat(opts.print), {
      ...(filter ? { condition: (joins) => filter.condition(joins) } : {}),
      where: opts.where,
      captureId: opts.capture,
      kinds: opts.allKinds ? ['exec', 'fork', 'snapshot', 'inferred'] : ['exec'],
    });
    if (opts.explain) {
      process.stdout.write(
        `${compiled.sql}\n-- parameters: ${JSON.stringify(compiled.params, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}\n`,
      );
      return;
    }
    const limit = effectiveLimit(opts);
    const mode = outputMode(opts);
    const inputs = { where: opts.where !== undefined, filter: filter !== undefined };
    const truncated = withCase(opts.db, (db) => printExecs(db, compiled, mode, limit, inputs));
    if (truncated && limit !== undefined) reportTruncation('lines', limit, mode === 'json');
  });
  return cmd;
}

/** Streams the rows in the chosen form; returns whether rows beyond `limit` were left out. */
function printExecs(db: BetterSqlite3.Database, compiled: CompiledFormat, mode: OutputMode, limit: number | undefined, inputs: SqlInputs): boolean {
  const chunks: string[] = [];
  const flush = (): void => {
    if (chunks.length > 0) process.stdout.write(`${chunks.splice(0).join('\n')}\n`);
  };
  const names = compiled.fieldNames;
  if (mode === 'csv') chunks.push(toCsv([], names));
  if (mode === 'json') process.stdout.write('[');
  let n = 0;
  let truncated = false;
  const stmt = prepareUserSql(db, compiled.sql, inputs).raw(true);
  for (const row of stmt.iterate(...compiled.params) as Iterable<unknown[]>) {
    const values = compiled.values(row);
    if (values === null) continue;
    if (limit !== undefined && n === limit) {
      truncated = true;
      break;
    }
    if (mode === 'table') chunks.push(compiled.render(row) as string);
    else if (mode === 'csv') {
      const record = Object.fromEntries(names.map((name, i) => [name, renderCell(values[i], compiled, i)]));
      chunks.push(toCsv([record], names).split('\n').slice(1).join('\n'));
    } else {
      const record = Object.fromEntries(names.map((name, i) => [name, jsonValue(values[i])]));
      chunks.push(`${n === 0 ? '' : ','}\n  ${JSON.stringify(record)}`);
    }
    n += 1;
    if (chunks.length >= 4096) mode === 'json' ? process.stdout.write(chunks.splice(0).join('')) : flush();
  }
  if (mode === 'json') process.stdout.write(`${chunks.splice(0).join('')}${n > 0 ? '\n' : ''}]\n`);
  else flush();
  return truncated;
}

function renderCell(value: unknown, compiled: CompiledFormat, i: number): string | null {
  if (value === null) return null;
  const ref = compiled.fields[i];
  return ref ? renderFieldValue(value, ref.field.type, ref.field.name) : String(value);
}

/** What the user gave that went into the statement's SQL, to name it when SQLite refuses that SQL. */
interface SqlInputs {
  where: boolean;
  filter: boolean;
}

/**
 * The statement with the user's --where, filter and -p fields in it: SQLite refusing it is the
 * user's to fix (a usage error naming what to change), not ours.
 */
function prepareUserSql(db: BetterSqlite3.Database, sql: string, inputs: SqlInputs): BetterSqlite3.Statement {
  try {
    return db.prepare(sql);
  } catch (err) {
    const message = (err as Error).message;
    if (!(err as { code?: string }).code?.startsWith('SQLITE_')) throw err;
    if (/at most 64 tables in a join/.test(message)) {
      throw new PedigreeError(
        'QUERY',
        `${inputs.filter ? 'the -p format and the filter ask' : 'the -p format asks'} for too many ancestor levels at once (SQLite joins at most 64 tables): print fewer %proc.aname[N] / %proc.apid[N] fields per run`,
      );
    }
    if (inputs.where || inputs.filter) {
      const given = inputs.where && inputs.filter ? '--where and the filter' : inputs.where ? '--where' : 'the filter';
      throw new PedigreeError('QUERY', `the SQL of ${given} was refused: ${message}`);
    }
    throw err;
  }
}
