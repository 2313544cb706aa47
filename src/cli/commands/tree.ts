import { Command, Option } from 'commander';
import { descendantsWithin } from '../../lineage/descendants.js';
import { rootsOf } from '../../lineage/roots.js';
import { execById } from '../../lineage/ancestry.js';
import { drawTree, treeLabel, type TreeRow } from '../../format/tree-text.js';
import { PedigreeError } from '../../util/errors.js';
import { visible } from '../../util/visible.js';
import { dbOption, outputMode, outputOptions, timeOptions, timeStyle } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { printRows } from '../output.js';
import { parseIntArg } from '../parse-args.js';
import { withCase } from '../read-case.js';
import { filterQuery, loadEventFilter, type EventFilter } from '../../rules/filter/event-filter.js';
import type BetterSqlite3 from 'better-sqlite3';
import { filterRulesOption } from '../filter-options.js';
import { resolveContainer } from '../container-selector.js';
import { pruneTree } from '../../format/tree-prune.js';
import { pictureFormatOption, printPicture } from '../picture-output.js';
import { graphFromTreeRows } from '../../report/graph/lineage-graph.js';
import { processesWithReusedPid } from '../../lineage/pid-reuse.js';
import { effectiveLimit, limitOptions, reportDepthCut, reportTruncation } from '../bounded.js';

export function makeTreeCommand(): Command {
  const cmd = new Command('tree')
    .description('print process trees like pstree -pa, with exit status and times')
    .argument('[filter]', "a sysdig/Falco filter: only matching processes and their ancestors, e.g. 'proc.name in (sh, bash)'")
    .addOption(dbOption())
    .addOption(filterRulesOption())
    .addOption(new Option('--host <name>', 'only this host'))
    .addOption(new Option('--container <id>', "only this container: name, id or id prefix (any case), or 'host'"))
    .addOption(new Option('--root <exec>', 'start at the process of this exec id').argParser(parseIntArg))
    .addOption(new Option('--depth <n>', 'at most n levels below each root').argParser(parseIntArg));
  for (const o of [...limitOptions(10000, 'processes'), ...outputOptions(), ...timeOptions(), pictureFormatOption()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pedigree tree --container 3f9a1c0e2b7d
  $ pedigree tree --root 11 --json
  $ pedigree tree 'proc.aname=nginx and not proc.name=nginx'
  $ pedigree tree --container 3f9a1c0e2b7d --format svg > tree.svg`,
  );
  cmd.action((filterText: string | undefined, opts) => {
    const filter = filterText !== undefined ? loadEventFilter(filterText, opts.rules ?? []) : undefined;
    let reused = new Set<number>();
    const limit = effectiveLimit(opts);
    // A filter prunes the whole forest first; the bound then applies to what is left.
    const wanted = limit === undefined || filter ? Number.POSITIVE_INFINITY : limit + 1;
    const sqlLimit = (n: number): number => (Number.isFinite(n) ? n : -1);
    let deeper = false;
    const fetched: TreeRow[] = withCase(opts.db, (db) => {
      const container = opts.container !== undefined ? resolveContainer(db, opts.container) : undefined;
      let roots;
      if (opts.root !== undefined) {
        const exec = execById(db, opts.root);
        if (!exec) throw new PedigreeError('USAGE', `no exec with id ${opts.root}`);
        roots = [exec];
      } else {
        roots = rootsOf(db, { host: opts.host, container }, { offset: 0, limit: sqlLimit(wanted) });
      }
      const out: TreeRow[] = [];
      for (const root of roots) {
        if (out.length >= wanted) break;
        const walked = descendantsWithin(db, root.processId, { maxDepth: opts.depth, limit: sqlLimit(wanted - out.length) });
        if (walked.deeper) deeper = true;
        for (const d of walked.rows) {
          if (container !== undefined && container !== 'host' && d.containerId !== container) continue;
          out.push({ node: d, depth: d.depth });
        }
      }
      const matches = filter ? matchingProcesses(db, filter) : undefined;
      const kept = matches ? pruneTree(out, (r) => matches(r.node.processId)) : out;
      if (opts.format !== undefined)
        reused = processesWithReusedPid(
          db,
          kept.map((r) => r.node.processId),
        );
      return kept;
    });
    const truncated = limit !== undefined && fetched.length > limit;
    const rows = truncated ? fetched.slice(0, limit) : fetched;
    if (opts.format !== undefined) {
      printPicture(graphFromTreeRows(rows, { reusedPids: reused }), opts.format, 'process tree');
      if (truncated) reportTruncation('processes', limit, false);
      if (deeper && opts.depth !== undefined) reportDepthCut(opts.depth, 'below each root', false);
      return;
    }
    const mode = outputMode(opts);
    if (mode !== 'table') {
      printRows(
        rows.map(({ node, depth }) => ({
          depth,
          exec: node.execId,
          process: node.processId,
          host: node.host,
          pid: node.pid,
          name: node.name,
          cmdline: node.cmdline,
          container: node.containerId ?? 'host',
          start_ns: node.processStartNs,
          end_ns: node.processEndNs,
          exit_code: node.exitCode,
          exit_signal: node.exitSignal,
          origin: node.origin,
        })),
        mode,
      );
    } else if (rows.length === 0) {
      process.stdout.write('(no processes)\n');
    } else {
      printTree(rows, opts.container === undefined, timeFormatter(timeStyle(opts)));
    }
    if (truncated) reportTruncation('processes', limit, mode === 'json');
    if (deeper && opts.depth !== undefined) reportDepthCut(opts.depth, 'below each root', mode === 'json');
  });
  return cmd;
}

/** A process matches when one of its images matches the filter. */
export function matchingProcesses(db: BetterSqlite3.Database, filter: EventFilter): (processId: number) => boolean {
  const q = filterQuery(filter, 'process_id');
  const ids = new Set(
    (
      db
        .prepare(q.sql)
        .raw(true)
        .all(...q.parameters) as unknown[][]
    ).map((r) => Number(r[0])),
  );
  return (processId) => ids.has(processId);
}

/** The tree as text; with several hosts, each host's name heads its roots. */
function printTree(rows: TreeRow[], containerTag: boolean, time: (ns: bigint) => string): void {
  const multiHost = new Set(rows.map((r) => r.node.host)).size > 1;
  let host = '';
  const lines = drawTree(rows, (n) => treeLabel(n, { containerTag, time }));
  lines.forEach((line, i) => {
    const node = (rows[i] as TreeRow).node;
    if (multiHost && node.host !== host && (rows[i] as TreeRow).depth === 0) {
      host = node.host;
      process.stdout.write(`${visible(host)}\n`);
    }
    process.stdout.write(`${line}\n`);
  });
}
