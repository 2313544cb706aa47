import type BetterSqlite3 from 'better-sqlite3';
import { Option } from 'commander';
import { execById } from '../../lineage/ancestry.js';
import type { ExecNode } from '../../lineage/exec-node.js';
import { findExecByPid } from '../../lineage/find-exec.js';
import { PedigreeError } from '../../util/errors.js';
import { parseIntArg, parseTimeArg } from '../parse-args.js';

/** The options that name one exec: a positional EXEC_ID, or --pid with --host/--at. */
export function execTargetOptions(): Option[] {
  return [
    new Option('--pid <pid>', 'the process with this pid instead of an exec id').argParser(parseIntArg),
    new Option('--host <name>', 'host of --pid'),
    new Option('--at <time>', 'the image --pid was running at this time (ns, seconds or ISO 8601)').argParser(parseTimeArg),
  ];
}

export function resolveExecTarget(db: BetterSqlite3.Database, execIdArg: string | undefined, opts: { pid?: number; host?: string; at?: bigint }): ExecNode {
  if (execIdArg !== undefined) {
    if (!/^\d+$/.test(execIdArg)) throw new PedigreeError('USAGE', `EXEC_ID must be a number, got ${execIdArg}`);
    const exec = execById(db, Number(execIdArg));
    if (!exec) throw new PedigreeError('USAGE', `no exec with id ${execIdArg}`);
    return exec;
  }
  if (opts.pid === undefined) throw new PedigreeError('USAGE', 'give an EXEC_ID or --pid PID');
  return findExecByPid(db, { pid: opts.pid, host: opts.host, at: opts.at });
}
