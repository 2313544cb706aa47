import { Command, Option } from 'commander';
import { isoTime } from '../../format/render-value.js';
import { dbOption, outputMode, outputOptions, timeOptions, timeStyle } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { printRows } from '../output.js';
import { parseIntArg, parseTimeArg } from '../parse-args.js';
import { withCase } from '../read-case.js';
import { filterQuery, loadEventFilter } from '../../rules/filter/event-filter.js';
import { filterRulesOption } from '../filter-options.js';
import { resolveContainer } from '../container-selector.js';
import { cut, effectiveLimit, limitOptions, probeLimit, reportTruncation } from '../bounded.js';

export function makePsCommand(): Command {
  const cmd = new Command('ps')
    .description('list processes (one row per process lifetime), filterable by host, container, name and time')
    .argument('[filter]', "a sysdig/Falco filter on the process's current image, e.g. 'proc.pname=nginx'")
    .addOption(dbOption())
    .addOption(filterRulesOption())
    .addOption(new Option('--host <name>', 'only this host'))
    .addOption(new Option('--container <id>', "only this container: name, id or id prefix (any case), or 'host'"))
    .addOption(new Option('--name <name>', 'only processes whose last image has this name (comm)'))
    .addOption(new Option('--pid <pid>', 'only this pid').argParser(parseIntArg))
    .addOption(new Option('--alive-at <time>', 'only processes alive at this time').argParser(parseTimeArg))
    .addOption(new Option('--since <time>', 'only processes started at or after').argParser(parseTimeArg))
    .addOption(new Option('--until <time>', 'only processes started at or before').argParser(parseTimeArg));
  for (const o of [...limitOptions(1000, 'processes'), ...outputOptions(), ...timeOptions()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pedigree ps --container nginx
  $ pedigree ps 'proc.pname=nginx and proc.cmdline contains curl'
  $ pedigree ps --name sh --since 2024-11-28T13:20:00Z --json`,
  );
  cmd.action((filterText: string | undefined, opts) => {
    const filter = filterText !== undefined ? loadEventFilter(filterText, opts.rules ?? []) : undefined;
    const where: string[] = [];
    const params: unknown[] = [];
    if (opts.host !== undefined) {
      where.push('h.hostname = ?');
      params.push(opts.host);
    }

    if (opts.name !== undefined) {
      where.push('e.name = ?');
      params.push(opts.name);
    }
    if (opts.pid !== undefined) {
      where.push('p.pid = ?');
      params.push(opts.pid);
    }
    if (opts.aliveAt !== undefined) {
      where.push('(p.start_ns IS NULL OR p.start_ns <= ?) AND (p.end_ns IS NULL OR p.end_ns >= ?)');
      params.push(opts.aliveAt, opts.aliveAt);
    }
    if (opts.since !== undefined) {
      where.push('p.start_ns >= ?');
      params.push(opts.since);
    }
    if (opts.until !== undefined) {
      where.push('p.start_ns <= ?');
      params.push(opts.until);
    }
    const limit = effectiveLimit(opts);
    const fetched = withCase(opts.db, (db) => {
      const container = opts.container !== undefined ? resolveContainer(db, opts.container) : undefined;
      if (container === 'host') where.push('p.container_id IS NULL');
      else if (container !== undefined) {
        where.push('p.container_id = ?');
        params.push(container);
      }
      if (filter) {
        const q = filterQuery(filter, 'exec_id');
        where.push(`p.last_exec_id IN (${q.sql})`);
        params.push(...q.parameters);
      }
      return db
        .prepare(`SELECT p.process_id AS process, e.exec_id AS exec, h.hostname AS host, p.pid, p.vpid,
            pp.pid AS ppid, COALESCE(p.container_id, 'host') AS container, e.name, e.cmdline, e.user_name AS user,
            p.start_ns, p.end_ns, p.exit_code, p.exit_signal, p.origin
          FROM processes p JOIN execs e ON e.exec_id = p.last_exec_id JOIN hosts h ON h.host_id = p.host_id
          LEFT JOIN processes pp ON pp.process_id = p.parent_process_id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY p.host_id, p.start_ns, p.process_id LIMIT ?`)
        .all(...params, probeLimit(limit)) as Record<string, unknown>[];
    });
    const { rows, truncated } = cut(fetched, limit);
    const time = outputMode(opts) === 'table' ? timeFormatter(timeStyle(opts)) : (ns: bigint) => isoTime(ns) as string;
    const timeText = (ns: bigint | null): string | null => (ns === null ? null : time(ns));
    printRows(
      rows.map((r) => ({ ...r, start: timeText(r.start_ns as bigint | null), end: timeText(r.end_ns as bigint | null) })),
      outputMode(opts),
      ['process', 'exec', 'host', 'pid', 'vpid', 'ppid', 'container', 'name', 'cmdline', 'user', 'start', 'end', 'exit_code', 'exit_signal', 'origin'],
    );
    if (truncated && limit !== undefined) reportTruncation('processes', limit, outputMode(opts) === 'json');
  });
  return cmd;
}
