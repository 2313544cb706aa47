/**
 * Low-level .scap encoding for tests and benchmarks: blocks (SHB 1.2, MI, UL_V2, PL_V9, EV_V2,
 * EV_V2_LARGE, EVF_V2) and event parameters, written in the layout libscap's writer uses
 * (scap-format.md §2–§10). Output goes to a sink in chunks so gigabyte captures stream.
 */

/** One encoded event parameter. */
export type Param = Buffer;

export const param = {
  empty: (): Param => Buffer.alloc(0),
  i64(v: number | bigint): Param {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    return b;
  },
  u64(v: number | bigint): Param {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  },
  u32(v: number): Param {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    return b;
  },
  i32(v: number): Param {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    return b;
  },
  u16(v: number): Param {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    return b;
  },
  u8(v: number): Param {
    return Buffer.from([v & 0xff]);
  },
  /** CHARBUF / FSPATH: the string and its NUL. */
  str: (s: string): Param => Buffer.from(`${s}\0`, 'utf8'),
  /** BYTEBUF list (args, env, cgroups): every item NUL-terminated. */
  list: (items: readonly string[]): Param => Buffer.from(items.map((i) => `${i}\0`).join(''), 'utf8'),
  bytes: (b: Buffer): Param => b,
};

const CHUNK = 1 << 20;

/** Buffers encoded blocks and hands them to the sink in ~1 MiB chunks. */
export class BlockWriter {
  private buf = Buffer.alloc(CHUNK);
  private used = 0;
  /** Bytes written so far (the offset of the next block). */
  offset = 0;

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  /** Reserves a whole block of `total` bytes and returns its start in the internal buffer. */
  private reserve(total: number): { buf: Buffer; at: number } {
    if (total > this.buf.length - this.used) {
      this.flush();
      if (total > this.buf.length) this.buf = Buffer.alloc(total);
    }
    const at = this.used;
    this.used += total;
    this.offset += total;
    return { buf: this.buf, at };
  }

  flush(): void {
    if (this.used === 0) return;
    this.sink(Buffer.from(this.buf.subarray(0, this.used)));
    this.used = 0;
  }

  /** A block with the given body; padding and the trailer are added. */
  block(type: number, body: Buffer): void {
    const padded = (body.length + 3) & ~3;
    const total = 12 + padded;
    const { buf, at } = this.reserve(total);
    buf.writeUInt32LE(type, at);
    buf.writeUInt32LE(total, at + 4);
    body.copy(buf, at + 8);
    buf.fill(0, at + 8 + body.length, at + 8 + padded);
    buf.writeUInt32LE(total, at + total - 4);
  }

  sectionHeader(): void {
    const body = Buffer.alloc(16);
    body.writeUInt32LE(0x1a2b3c4d, 0);
    body.writeUInt16LE(1, 4);
    body.writeUInt16LE(2, 6);
    body.writeBigInt64LE(-1n, 8);
    this.block(0x0a0d0d0a, body);
  }

  machineInfo(hostname: string, opts: { cpus?: number; memoryBytes?: number; bootTs?: bigint } = {}): void {
    const body = Buffer.alloc(180);
    body.writeUInt32LE(opts.cpus ?? 2, 0);
    body.writeBigUInt64LE(BigInt(opts.memoryBytes ?? 8 * 2 ** 30), 4);
    body.write(hostname.slice(0, 127), 20, 'utf8');
    body.writeBigUInt64LE(opts.bootTs ?? 0n, 148);
    this.block(0x201, body);
  }

  userList(users: readonly ScapUser[]): void {
    const entries = users.map((u) => {
      const strs = [u.name, u.home ?? '/', u.shell ?? '/bin/sh'].map(str16);
      const entry = Buffer.concat([Buffer.alloc(4 + 1 + 8), ...strs]);
      entry.writeUInt32LE(entry.length, 0);
      entry.writeUInt8(0, 4);
      entry.writeUInt32LE(u.uid, 5);
      entry.writeUInt32LE(u.gid ?? u.uid, 9);
      return entry;
    });
    this.block(0x220, Buffer.concat(entries));
  }

  procList(threads: readonly ScapThread[]): void {
    this.block(0x215, Buffer.concat(threads.map(proclistEntry)));
  }

  /**
   * An event block: EV_V2, or EV_V2_LARGE for the large-payload types (u32 parameter lengths),
   * or EVF_V2 when `flags` is given.
   */
  event(type: number, ts: bigint, tid: number, params: readonly Param[], opts: { cpu?: number; flags?: number } = {}): void {
    const large = type === 322 || type === 324 || type === 402;
    const width = large ? 4 : 2;
    let valueLen = 0;
    for (const p of params) valueLen += p.length;
    const evLen = 26 + width * params.length + valueLen;
    const prefix = opts.flags === undefined ? 2 : 6;
    const content = prefix + evLen;
    const padded = (content + 3) & ~3;
    const total = 12 + padded;
    const blockType = opts.flags !== undefined ? (large ? 0x222 : 0x217) : large ? 0x221 : 0x216;
    const { buf, at } = this.reserve(total);
    buf.writeUInt32LE(blockType, at);
    buf.writeUInt32LE(total, at + 4);
    let o = at + 8;
    buf.writeUInt16LE(opts.cpu ?? 0, o);
    o += 2;
    if (opts.flags !== undefined) {
      buf.writeUInt32LE(opts.flags, o);
      o += 4;
    }
    buf.writeBigUInt64LE(ts, o);
    buf.writeBigInt64LE(BigInt(tid), o + 8);
    buf.writeUInt32LE(evLen, o + 16);
    buf.writeUInt16LE(type, o + 20);
    buf.writeUInt32LE(params.length, o + 22);
    o += 26;
    for (const p of params) {
      if (width === 2) buf.writeUInt16LE(p.length, o);
      else buf.writeUInt32LE(p.length, o);
      o += width;
    }
    for (const p of params) {
      p.copy(buf, o);
      o += p.length;
    }
    buf.fill(0, o, at + total - 4);
    buf.writeUInt32LE(total, at + total - 4);
  }
}

export interface ScapUser {
  uid: number;
  gid?: number;
  name: string;
  home?: string;
  shell?: string;
}

/** A thread of the initial process table (PL_V9 entry). */
export interface ScapThread {
  tid: number;
  pid: number;
  ptid: number;
  comm: string;
  exe: string;
  exepath?: string;
  args?: string[];
  cwd?: string;
  uid?: number;
  gid?: number;
  vtid?: number;
  vpid?: number;
  cgroups?: string[];
  env?: string[];
  sid?: number;
  vpgid?: number;
  loginuid?: number;
}

function str16(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const b = Buffer.alloc(2 + bytes.length);
  b.writeUInt16LE(bytes.length, 0);
  bytes.copy(b, 2);
  return b;
}

function list16(items: readonly string[]): Buffer {
  return str16(items.map((i) => `${i}\0`).join(''));
}

function proclistEntry(t: ScapThread): Buffer {
  const fixed = (n: number): Buffer => Buffer.alloc(n);
  const ids = fixed(40);
  ids.writeBigInt64LE(BigInt(t.tid), 0);
  ids.writeBigInt64LE(BigInt(t.pid), 8);
  ids.writeBigInt64LE(BigInt(t.ptid), 16);
  ids.writeBigInt64LE(BigInt(t.sid ?? t.pid), 24);
  ids.writeBigInt64LE(BigInt(t.vpgid ?? t.pid), 32);
  const limits = fixed(8 + 4 + 4 + 4 + 12 + 16);
  limits.writeBigUInt64LE(1024n, 0);
  limits.writeUInt32LE(t.tid === t.pid ? 0 : 1 << 13, 8);
  limits.writeUInt32LE(t.uid ?? 0, 12);
  limits.writeUInt32LE(t.gid ?? t.uid ?? 0, 16);
  const ns = fixed(16);
  ns.writeBigInt64LE(BigInt(t.vtid ?? t.tid), 0);
  ns.writeBigInt64LE(BigInt(t.vpid ?? t.pid), 8);
  const tail = fixed(4);
  tail.writeUInt32LE((t.loginuid ?? -1) >>> 0, 0);
  const body = Buffer.concat([
    ids,
    str16(t.comm),
    str16(t.exe),
    str16(t.exepath ?? ''),
    list16(t.args ?? []),
    str16(t.cwd ?? '/'),
    limits,
    list16(t.env ?? []),
    ns,
    list16(t.cgroups ?? []),
    str16('/'),
    tail,
  ]);
  const len = fixed(4);
  len.writeUInt32LE(4 + body.length, 0);
  return Buffer.concat([len, body]);
}
