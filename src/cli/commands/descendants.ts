import { Command, Option } from 'commander';
import { descendantsWithin } from '../../lineage/descendants.js';
import { drawTree, treeLabel } from '../../format/tree-text.js';
import { isoTime } from '../../format/render-value.js';
import { dbOption, outputMode, outputOptions, timeOptions, timeStyle } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { printRows } from '../output.js';
import { parseIntArg } from '../parse-args.js';
import { withCase } from '../read-case.js';
import { loadEventFilter } from '../../rules/filter/event-filter.js';
import { filterRulesOption } from '../filter-options.js';
import { pruneTree } from '../../format/tree-prune.js';
import { matchingProcesses } from './tree.js';
import { pictureFormatOption, printPicture } from '../picture-output.js';
import { graphFromTreeRows } from '../../report/graph/lineage-graph.js';
import { processesWithReusedPid } from '../../lineage/pid-reuse.js';
import { cut, effectiveLimit, limitOptions, probeLimit, reportDepthCut, reportTruncation } from '../bounded.js';
import { execTargetOptions, resolveExecTarget } from './exec-target.js';

export function makeDescendantsCommand(): Command {
  const cmd = new Command('descendants')
    .description("the subtree of processes an exec's process created, with depth")
    .argument('[exec_id]', 'exec row id')
    .argument('[filter]', 'a sysdig/Falco filter: only matching processes and the ones between them and the top')
    .addOption(filterRulesOption())
    .addOption(dbOption())
    .addOption(new Option('--depth <n>', 'at most n levels').argParser(parseIntArg));
  for (const o of [...limitOptions(10000, 'processes'), ...execTargetOptions(), ...outputOptions(), ...timeOptions(), pictureFormatOption()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pedigree descendants 11
  $ pedigree descendants --pid 4001 --csv
  $ pedigree descendants --pid 2330 'proc.name in (curl, wget)'
  $ pedigree descendants --pid 4001 --format dot | dot -Tpng > sh.png`,
  );
  cmd.action((first: string | undefined, second: string | undefined, opts) => {
    // With --pid the one positional argument is the filter.
    const [execId, filterText] = first !== undefined && second === undefined && !/^\d+$/.test(first) ? [undefined, first] : [first, second];
    const filter = filterText !== undefined ? loadEventFilter(filterText, opts.rules ?? []) : undefined;
    let reused = new Set<number>();
    const limit = effectiveLimit(opts);
    let deeper = false;
    const { rows, truncated } = withCase(opts.db, (db) => {
      const target = resolveExecTarget(db, execId, opts);
      const walked = descendantsWithin(db, target.processId, { maxDepth: opts.depth, limit: filter ? -1 : probeLimit(limit) });
      deeper = walked.deeper;
      const all = walked.rows;
      const matches = filter ? matchingProcesses(db, filter) : undefined;
      const kept = matches ? pruneTree(all, (r) => matches(r.processId)) : all;
      const sub = cut(kept, limit);
      if (opts.format !== undefined)
        reused = processesWithReusedPid(
          db,
          sub.rows.map((r) => r.processId),
        );
      return sub;
    });
    if (opts.format !== undefined) {
      const top = rows[0];
      const steps = top ? new Map([[top.execId, ['target']]]) : new Map<number, string[]>();
      printPicture(
        graphFromTreeRows(
          rows.map((r) => ({ node: r, depth: r.depth })),
          { reusedPids: reused, steps },
        ),
        opts.format,
        'descendants',
      );
      if (deeper && opts.depth !== undefined) reportDepthCut(opts.depth, 'below the process', false);
      return;
    }
    const mode = outputMode(opts);
    if (mode === 'table') {
      for (const line of drawTree(
        rows.map((r) => ({ node: r, depth: r.depth })),
        (n) => treeLabel(n, { time: timeFormatter(timeStyle(opts)) }),
      )) {
        process.stdout.write(`${line}\n`);
      }
    } else
      printRows(
        rows.map((r) => ({
          depth: r.depth,
          exec: r.execId,
          process: r.processId,
          host: r.host,
          pid: r.pid,
          name: r.name,
          cmdline: r.cmdline,
          container: r.containerId ?? 'host',
          start: isoTime(r.processStartNs),
          end: isoTime(r.processEndNs),
          exit_code: r.exitCode,
          exit_signal: r.exitSignal,
        })),
        mode,
      );
    if (truncated && limit !== undefined) reportTruncation('processes', limit, mode === 'json');
    if (deeper && opts.depth !== undefined) reportDepthCut(opts.depth, 'below the process', mode === 'json');
  });
  return cmd;
}
