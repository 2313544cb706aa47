import { BlockFormatError, ByteCursor } from './byte-cursor.js';

/** One thread of the initial thread table, as far as its proclist version records it. */
export interface ProclistEntry {
  tid: number;
  pid: number;
  ptid: number;
  sid?: number;
  vpgid?: number;
  comm: string;
  exe: string;
  exepath?: string;
  args: string[];
  cwd: string;
  flags: number;
  uid: number;
  gid: number;
  env?: string[];
  vtid?: number;
  vpid?: number;
  cgroups?: string[];
  root?: string;
  tty?: number;
  loginuid?: number;
  exeWritable?: boolean;
  capInheritable?: bigint;
  capPermitted?: bigint;
  capEffective?: bigint;
  exeUpperLayer?: boolean;
  exeFromMemfd?: boolean;
  exeLowerLayer?: boolean;
  pgid?: number;
}

const MAX_STR = 1024;
const MAX_LIST = 4096;

/**
 * Parses a process-list block of the given version (1..9; scap-format.md §7). V9 entries carry
 * their own length, so fields added after V9 are skipped; older versions are read field by field.
 */
export function parseProclist(buf: Buffer, start: number, total: number, version: number): ProclistEntry[] {
  const entries: ProclistEntry[] = [];
  const block = new ByteCursor(buf, start + 8, start + total - 4);
  while (block.remaining >= 4) {
    let c = block;
    if (version >= 9) {
      const size = block.u32('proclist entry length');
      if (size < 4 + 24) throw new BlockFormatError(`proclist entry length ${size} is too small`);
      const end = block.pos - 4 + size;
      if (end > block.end) throw new BlockFormatError(`proclist entry of ${size} bytes runs past the end of the block`);
      c = new ByteCursor(buf, block.pos, end);
      block.pos = end;
    }
    entries.push(readEntry(c, version));
  }
  return entries;
}

function readEntry(c: ByteCursor, version: number): ProclistEntry {
  const tid = c.i64('tid');
  const pid = c.i64('pid');
  const ptid = c.i64('ptid');
  const sid = version >= 6 ? c.i64('sid') : undefined;
  const vpgid = version >= 8 ? c.i64('vpgid') : undefined;
  const comm = bounded(c.str16('comm'), MAX_STR, 'comm');
  const exe = bounded(c.str16('exe'), MAX_STR, 'exe');
  const exepath = version >= 7 ? bounded(c.str16('exepath'), MAX_STR, 'exepath') : undefined;
  const args = c.list16('args');
  const cwd = bounded(c.str16('cwd'), MAX_STR, 'cwd');
  c.skip(8, 'fdlimit');
  const flags = c.u32('flags');
  const uid = c.u32('uid');
  const gid = c.u32('gid');
  const e: ProclistEntry = { tid, pid, ptid, comm, exe, args, cwd, flags, uid, gid };
  if (sid !== undefined) e.sid = sid;
  if (vpgid !== undefined) e.vpgid = vpgid;
  if (exepath !== undefined) e.exepath = exepath;
  if (version >= 2) c.skip(3 * 4 + 2 * 8, 'memory counters');
  if (version >= 3) e.env = c.list16('env');
  if (version >= 4) {
    e.vtid = c.i64('vtid');
    e.vpid = c.i64('vpid');
    e.cgroups = c.list16('cgroups');
  }
  if (version >= 5) e.root = bounded(c.str16('root'), MAX_STR, 'root');
  if (version >= 9) readTail(c, e);
  if ((e.env?.length ?? 0) > MAX_LIST || (e.cgroups?.length ?? 0) > MAX_LIST) throw new BlockFormatError('proclist list is implausibly long');
  return e;
}

/** The optional V9 tail: two historical layouts told apart by the bytes left (§7.2). */
function readTail(c: ByteCursor, e: ProclistEntry): void {
  const r = c.remaining;
  if (r <= 0) return;
  if (r <= 29) {
    if (c.remaining >= 4) e.loginuid = c.u32();
    if (c.remaining >= 1) e.exeWritable = c.u8() !== 0;
    if (c.remaining >= 8) e.capInheritable = c.u64();
    if (c.remaining >= 8) e.capPermitted = c.u64();
    if (c.remaining >= 8) e.capEffective = c.u64();
    return;
  }
  c.skip(8, 'pidns_init_start_ts');
  if (c.remaining >= 4) e.tty = c.u32();
  if (c.remaining >= 4) e.loginuid = c.u32();
  if (c.remaining >= 1) e.exeWritable = c.u8() !== 0;
  if (c.remaining >= 8) e.capInheritable = c.u64();
  if (c.remaining >= 8) e.capPermitted = c.u64();
  if (c.remaining >= 8) e.capEffective = c.u64();
  if (c.remaining >= 1) e.exeUpperLayer = c.u8() !== 0;
  if (c.remaining >= 24) c.skip(24, 'exe inode');
  if (c.remaining >= 1) e.exeFromMemfd = c.u8() !== 0;
  if (c.remaining >= 1) e.exeLowerLayer = c.u8() !== 0;
  if (c.remaining >= 8) e.pgid = c.i64();
}

function bounded(s: string, max: number, what: string): string {
  if (s.length > max) throw new BlockFormatError(`${what} of ${s.length} characters exceeds the ${max}-character limit`);
  return s;
}
