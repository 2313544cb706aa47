import { Command, Option } from 'commander';
import { descendantsOf } from '../../lineage/descendants.js';
import { drawTree, treeLabel } from '../../format/tree-text.js';
import { isoTime } from '../../format/render-value.js';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';
import { parseIntArg } from '../parse-args.js';
import { withCase } from '../read-case.js';
import { pictureFormatOption, printPicture } from '../picture-output.js';
import { graphFromTreeRows } from '../../report/graph/lineage-graph.js';
import { processesWithReusedPid } from '../../lineage/pid-reuse.js';
import { execTargetOptions, resolveExecTarget } from './exec-target.js';

export function makeDescendantsCommand(): Command {
  const cmd = new Command('descendants')
    .description("the subtree of processes an exec's process created, with depth")
    .argument('[exec_id]', 'exec row id')
    .addOption(dbOption())
    .addOption(new Option('--depth <n>', 'at most n levels').argParser(parseIntArg))
    .addOption(new Option('--limit <n>', 'at most n processes').argParser(parseIntArg).default(10000));
  for (const o of [...execTargetOptions(), ...outputOptions(), pictureFormatOption()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Examples:
  $ pedigree descendants 15
  $ pedigree descendants --pid 4001 --csv
  $ pedigree descendants --pid 4001 --format dot | dot -Tpng > sh.png`,
  );
  cmd.action((execId: string | undefined, opts) => {
    let reused = new Set<number>();
    const rows = withCase(opts.db, (db) => {
      const target = resolveExecTarget(db, execId, opts);
      const sub = descendantsOf(db, target.processId, { maxDepth: opts.depth, limit: opts.limit });
      if (opts.format !== undefined) reused = processesWithReusedPid(db, sub.map((r) => r.processId));
      return sub;
    });
    if (opts.format !== undefined) {
      const top = rows[0];
      const steps = top ? new Map([[top.execId, ['target']]]) : new Map<number, string[]>();
      printPicture(graphFromTreeRows(rows.map((r) => ({ node: r, depth: r.depth })), { reusedPids: reused, steps }), opts.format, 'descendants');
      return;
    }
    const mode = outputMode(opts);
    if (mode === 'table') {
      for (const line of drawTree(rows.map((r) => ({ node: r, depth: r.depth })), (n) => treeLabel(n))) {
        process.stdout.write(`${line}\n`);
      }
      return;
    }
    printRows(
      rows.map((r) => ({
        depth: r.depth, exec: r.execId, process: r.processId, host: r.host, pid: r.pid, name: r.name,
        cmdline: r.cmdline, container: r.containerId ?? 'host', start: isoTime(r.processStartNs),
        end: isoTime(r.processEndNs), exit_code: r.exitCode, exit_signal: r.exitSignal,
      })),
      mode,
    );
  });
  return cmd;
}
