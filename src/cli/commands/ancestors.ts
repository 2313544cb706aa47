import { Command, Option } from 'commander';
import { ancestorsOf } from '../../lineage/ancestry.js';
import { isoTime } from '../../format/render-value.js';
import { visible } from '../../util/visible.js';
import { dbOption, outputMode, outputOptions, timeOptions, timeStyle } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { printRows } from '../output.js';
import { withCase } from '../read-case.js';
import { pictureFormatOption, printPicture } from '../picture-output.js';
import { graphFromAncestry } from '../../report/graph/lineage-graph.js';
import { processesWithReusedPid } from '../../lineage/pid-reuse.js';
import { execTargetOptions, resolveExecTarget } from './exec-target.js';
import { parseIntArg } from '../parse-args.js';
import { reportDepthCut } from '../bounded.js';

export function makeAncestorsCommand(): Command {
  const cmd = new Command('ancestors')
    .description('the chain of images that led to an exec, from it up to the oldest known ancestor')
    .argument('[exec_id]', 'exec row id (see ps, execs, tree --json)')
    .addOption(dbOption())
    .addOption(new Option('--depth <n>', 'at most n levels up (default: every level, to the oldest known ancestor)').argParser(parseIntArg));
  for (const o of [...execTargetOptions(), ...outputOptions(), ...timeOptions(), pictureFormatOption()]) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Each step is the parent's image as it was when the child's image began; parents that exited
before their children are kept.

Examples:
  $ pedigree ancestors 16
  $ pedigree ancestors --pid 4004 --host node-1
  $ pedigree ancestors --pid 3105 --at 2024-11-28T13:20:06.004Z --json
  $ pedigree ancestors --pid 4004 --format mermaid`,
  );
  cmd.action((execId: string | undefined, opts) => {
    let reused = new Set<number>();
    let deeper = false;
    const steps = withCase(opts.db, (db) => {
      const whole = ancestorsOf(db, resolveExecTarget(db, execId, opts).execId);
      const depth: number | undefined = opts.depth;
      const chain = depth === undefined ? whole : whole.filter((s) => s.depth <= depth);
      deeper = chain.length < whole.length;
      if (opts.format !== undefined)
        reused = processesWithReusedPid(
          db,
          chain.map((s) => s.processId),
        );
      return chain;
    });
    if (opts.format !== undefined) {
      const self = steps[0];
      const graph = graphFromAncestry(steps, { reusedPids: reused, ...(self ? { steps: new Map([[self.execId, ['target']]]) } : {}) });
      printPicture(graph, opts.format, 'ancestors');
      if (deeper) reportDepthCut(opts.depth as number, 'above the exec', false);
      return;
    }
    const mode = outputMode(opts);
    const time = mode === 'table' ? timeFormatter(timeStyle(opts)) : (ns: bigint) => isoTime(ns) as string;
    const timeText = (ns: bigint | null): string | null => (ns === null ? null : time(ns));
    const rows = steps.map((s) => ({
      depth: s.depth,
      exec: s.execId,
      kind: s.kind,
      host: s.host,
      pid: s.pid,
      vpid: s.vpid,
      name: s.name,
      cmdline: s.cmdline,
      user: s.user,
      container: s.containerId ?? 'host',
      container_name: s.containerName,
      pod: s.podName,
      time: timeText(s.tsNs),
      exited: timeText(s.processEndNs),
      origin: s.origin,
    }));
    if (mode === 'table' && steps.length > 0) {
      const self = steps[0];
      const chain = steps.map((s) => visible(s.name ?? '?')).join(' ← ');
      const where = self?.containerId
        ? `container ${visible(self.containerName ?? self.containerId)} (${visible(self.containerId)})${self.podName ? `, pod ${visible(self.podName)}` : ''}`
        : `host ${visible(self?.host ?? '')}`;
      process.stdout.write(`${chain}\n  in ${where}\n\n`);
    }
    printRows(rows, mode);
    if (deeper) reportDepthCut(opts.depth as number, 'above the exec', mode === 'json');
  });
  return cmd;
}
