import type { ExecEvent, ExitEvent, ForkEvent, ImageAttrs, LineageEvent } from '../../events/lineage-event.js';
import { BadRecord } from '../record-errors.js';
import { ttyDevice } from '../tty-device.js';
import type { AuditEvent, AuditFields } from './audit-event.js';
import { processSyscall } from './syscall-table.js';

const CLONE_PARENT = 0x8000;
const CLONE_THREAD = 0x10000;
const UNSET_ID = 4294967295;

/** Linux errno names for the failures audit reports as negative `exit=`. */
function int(f: AuditFields, key: string): number | undefined {
  const direct = f.integer?.(key);
  if (direct !== undefined) return direct;
  const v = f.get(key);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new BadRecord(`SYSCALL: ${key}=${v} is not an integer`);
  return n;
}

function id(f: AuditFields, key: string): number | undefined {
  const n = int(f, key);
  return n === UNSET_ID ? -1 : n;
}

/**
 * The lineage events one audit event stands for: execve/execveat → exec (failed ones too),
 * clone/fork/vfork/clone3 → fork of the pid in `exit=`, exit_group → exit. Other syscalls carry
 * no lineage and yield nothing.
 */
export function auditEventToLineage(ev: AuditEvent, defaultHost: string): LineageEvent[] {
  if (ev.damaged !== undefined) throw new BadRecord(ev.damaged);
  const f = ev.syscall;
  if (!f) return [];
  const name = processSyscall(f.get('arch'), f.get('syscall'), ev.enriched?.get('SYSCALL'));
  if (name === undefined) return [];
  const pid = int(f, 'pid');
  if (pid === undefined) throw new BadRecord('SYSCALL record without pid=');
  const host = ev.node ?? defaultHost;
  const successText = f.get('success');
  const success = successText === undefined ? undefined : successText === 'yes';
  const exit = int(f, 'exit');

  switch (name) {
    case 'execve':
    case 'execveat': {
      const exec: ExecEvent = { host, ts: ev.tsNs, pos: { line: ev.line }, kind: 'exec', pid, ppid: int(f, 'ppid'), ok: success !== false, syscall: name };
      credentials(ev, exec);
      if (!exec.ok) {
        exec.errno = exit !== undefined && exit < 0 ? -exit : undefined;
        exec.exepath = ev.path0;
      } else {
        image(ev, exec);
      }
      const parent = parentHint(ev, exec.ppid);
      if (parent) exec.parent = parent;
      return [exec];
    }
    case 'clone':
    case 'clone3':
    case 'fork':
    case 'vfork': {
      if (success === false || exit === undefined || exit <= 0) return [];
      // clone3 passes its flags in a struct audit does not decode: taken as a new process.
      const a0 = f.get('a0');
      const flags = name === 'clone' && a0 !== undefined ? parseInt(a0, 16) : 0;
      const thread = (flags & CLONE_THREAD) !== 0;
      const fork: ForkEvent = { host, ts: ev.tsNs, pos: { line: ev.line }, kind: 'fork', pid: thread ? pid : exit, ppid: pid, syscall: name };
      credentials(ev, fork);
      if (thread) {
        fork.tid = exit;
        fork.thread = true;
      }
      if (flags & CLONE_PARENT) fork.cloneParent = true;
      const callerPpid = int(f, 'ppid');
      if (callerPpid !== undefined && callerPpid > 0) fork.callerParent = { pid: callerPpid };
      const comm = f.get('comm');
      if (comm !== undefined) fork.comm = comm;
      const exe = f.get('exe');
      if (exe !== undefined) fork.exepath = exe;
      if (name === 'clone' && a0 !== undefined) fork.flags = `0x${a0}`;
      return [fork];
    }
    case 'exit_group': {
      const exitEv: ExitEvent = { host, ts: ev.tsNs, pos: { line: ev.line }, kind: 'exit', pid, group: true };
      const a0 = f.get('a0');
      if (a0 !== undefined) exitEv.code = parseInt(a0, 16) & 0xff;
      return [exitEv];
    }
    case 'exit':
      // audit's pid= is the thread group: a thread's exit cannot be told from the process's.
      return [];
  }
}

/** The ids, tty and user name of the SYSCALL record, written into the event. */
function credentials(ev: AuditEvent, attrs: ImageAttrs): void {
  const f = ev.syscall!;
  const uid = id(f, 'uid');
  if (uid !== undefined) attrs.uid = uid;
  const gid = id(f, 'gid');
  if (gid !== undefined) attrs.gid = gid;
  const euid = id(f, 'euid');
  if (euid !== undefined) attrs.euid = euid;
  const auid = id(f, 'auid');
  if (auid !== undefined) attrs.loginuid = auid;
  const tty = ttyDevice(f.get('tty'));
  if (tty !== undefined) attrs.tty = tty;
  const user = ev.enriched?.get('UID');
  if (user !== undefined) attrs.user = user;
}

/** The image an exec loaded (program, argv or command line, cwd), written into the event. */
function image(ev: AuditEvent, attrs: ImageAttrs): void {
  const f = ev.syscall!;
  const comm = f.get('comm');
  if (comm !== undefined) attrs.comm = comm;
  const exe = f.get('exe');
  if (exe !== undefined) attrs.exepath = exe;
  if (ev.cwd !== undefined) attrs.cwd = ev.cwd;
  if (ev.argv && ev.argv.length > 0) {
    attrs.exe = ev.argv[0]!;
    attrs.args = ev.argv.slice(1);
  } else if (ev.proctitle && ev.proctitle.length > 0) {
    // PROCTITLE is capped at 128 bytes: a joined, possibly cut, command line, never argv.
    attrs.cmdline = ev.proctitle.join(' ');
  }
}

function parentHint(ev: AuditEvent, ppid: number | undefined): ExecEvent['parent'] {
  if (ppid === undefined || (ev.parentComm === undefined && ev.parentExe === undefined)) return undefined;
  const hint: NonNullable<ExecEvent['parent']> = { pid: ppid };
  if (ev.parentComm !== undefined) hint.comm = ev.parentComm;
  if (ev.parentExe !== undefined) hint.exepath = ev.parentExe;
  return hint;
}
