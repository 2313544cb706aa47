import type { HostInfoEvent, UserEvent } from '../../events/lineage-event.js';
import { SHB_MAGIC } from './block-types.js';
import { BlockFormatError, ByteCursor } from './byte-cursor.js';

export interface SectionHeader {
  major: number;
  minor: number;
}

/** SHB body: magic, version, section length, then pcapng options (skipped). */
export function parseSectionHeader(buf: Buffer, start: number, total: number): SectionHeader {
  const c = new ByteCursor(buf, start + 8, start + total - 4);
  const magic = c.u32('byte-order magic');
  if (magic !== SHB_MAGIC) {
    throw new BlockFormatError(`byte-order magic is 0x${magic.toString(16)}, expected 0x${SHB_MAGIC.toString(16)} (not a little-endian scap file)`);
  }
  const major = c.u16('major version');
  const minor = c.u16('minor version');
  if (major !== 1) throw new BlockFormatError(`section version ${major}.${minor} is not supported (only 1.x exists)`);
  return { major, minor };
}

export interface MachineInfo {
  hostname: string;
  cpus: number;
  memoryBytes: number;
  bootTs: bigint;
}

/** MI body: a fixed 180-byte record. */
export function parseMachineInfo(buf: Buffer, start: number, total: number): MachineInfo {
  const c = new ByteCursor(buf, start + 8, start + total - 4);
  const cpus = c.u32('cpu count');
  const memoryBytes = Number(c.u64('memory size'));
  c.skip(8, 'max pid');
  const nameStart = c.pos;
  c.skip(128, 'hostname');
  const raw = buf.subarray(nameStart, nameStart + 128);
  const nul = raw.indexOf(0);
  const hostname = raw.toString('utf8', 0, nul < 0 ? 128 : nul);
  const bootTs = c.remaining >= 8 ? c.u64('boot time') : 0n;
  return { hostname, cpus, memoryBytes, bootTs };
}

export function hostInfoEvent(host: string, mi: MachineInfo, offset: number): HostInfoEvent {
  const ev: HostInfoEvent = { kind: 'hostinfo', host, ts: 0n, cpus: mi.cpus, memoryBytes: mi.memoryBytes, pos: { offset } };
  if (mi.bootTs > 0n) ev.bootTs = mi.bootTs;
  return ev;
}

/**
 * UL (v1) and UL_V2 bodies: user and group entries. v2 prefixes each entry with its size
 * (including the prefix) so unknown trailing bytes can be skipped. Groups are not kept.
 */
export function parseUserList(buf: Buffer, start: number, total: number, v2: boolean, host: string, offset: number): UserEvent[] {
  const users: UserEvent[] = [];
  const c = new ByteCursor(buf, start + 8, start + total - 4);
  while (c.remaining >= 4) {
    let entryEnd = c.end;
    if (v2) {
      const size = c.u32('user entry size');
      if (size < 5) throw new BlockFormatError(`user entry size ${size} is too small`);
      entryEnd = c.pos - 4 + size;
      if (entryEnd > c.end) throw new BlockFormatError(`user entry of ${size} bytes runs past the end of the block`);
    }
    const entry = new ByteCursor(buf, c.pos, entryEnd);
    const kind = entry.u8('user entry kind');
    if (kind === 0) {
      const uid = entry.u32('uid');
      const gid = entry.u32('gid');
      const name = entry.str16('user name');
      const home = entry.str16('home directory');
      const shell = entry.str16('shell');
      users.push({ kind: 'user', host, ts: 0n, uid, gid, name, home, shell, pos: { offset } });
    } else if (kind === 1) {
      entry.u32('gid');
      entry.str16('group name');
    } else if (!v2) {
      // v1 entries have no size: an unknown kind cannot be stepped over.
      throw new BlockFormatError(`unknown user-list entry kind ${kind}`);
    }
    c.pos = v2 ? entryEnd : entry.pos;
  }
  return users;
}
