import type { LineageEvent } from '../../events/lineage-event.js';
import { InputError } from '../../util/errors.js';
import type { ReaderContext } from '../reader.js';
import {
  EVENT_BLOCKS,
  EV_V2,
  FDL,
  FDL_OLD,
  FDL_V2,
  IL,
  IL_OLD,
  IL_V2,
  MAX_SMALL_EVENT_BLOCK,
  MI,
  MI_OLD,
  PROCLIST_VERSIONS,
  SHB,
  UL,
  UL_OLD,
  UL_V2,
  blockTypeName,
  type EventBlockKind,
} from './block-types.js';
import { BlockFormatError } from './byte-cursor.js';
import { ROLE_BY_CODE, Role, SYSDIG_0_29_3_EVENT_MAX, codeInfo, type CloneSyscall } from './event-codes.js';
import { EventParams } from './event-params.js';
import { hostInfoEvent, parseMachineInfo, parseSectionHeader, parseUserList } from './header-blocks.js';
import { LineageDecoder, type EventHeader } from './lineage-decoder.js';
import { parseProclist } from './proclist.js';

const EV_V2_KIND = EVENT_BLOCKS.get(EV_V2) as EventBlockKind;
/** Block header (8), cpu id (2), v2 event header (26), trailer (4). */
const MIN_EV_V2_BLOCK = 40;
/** The event type's offset in an EV_V2 block: block header, cpu id, then ts, tid and len of the event header. */
const EV_V2_CODE_AT = 8 + 2 + 20;
const SKIPPED_HEADER_BLOCKS = new Set([FDL, FDL_OLD, FDL_V2, IL, IL_OLD, IL_V2]);

/**
 * Handles each block of a scap capture in file order: section and machine headers, the
 * initial thread table and user list, then events. Events that do not concern lineage are
 * only counted (for `evt.num`) and skipped by length; the rest are handed to LineageDecoder.
 */
export class ScapBlockDecoder {
  readonly events: LineageDecoder;
  sawSection = false;
  private inEvents = false;
  /** sysdig 0.29.3's evt.num: ordinal among event blocks of types it knows. */
  private evtNum = 0;
  private readonly params = new EventParams();
  private readonly warnedTypes = new Set<number>();
  private readonly header: EventHeader = { ts: 0n, tid: 0, evtNum: undefined, offset: 0 };

  constructor(private readonly ctx: ReaderContext) {
    this.events = new LineageDecoder(ctx.options.host ?? 'unknown-host');
  }

  take(): LineageEvent[] {
    const out = this.events.out;
    this.events.out = [];
    return out;
  }

  finish(): void {
    this.events.finish();
  }

  /**
   * The framer's fast path (BlockRunHandler): a run of EV_V2 blocks of events that are only
   * counted, checked as the framer and event() check them (length, trailer, room for the event
   * header), each touched at its header, its type and its trailer. Nine in ten blocks of a
   * capture are such events; anything else stops the run and takes the general path.
   */
  readonly skipRun = (buf: Buffer, start: number, end: number): number => {
    if (!this.sawSection) return start;
    let pos = start;
    while (end - pos >= MIN_EV_V2_BLOCK) {
      if (u32(buf, pos) !== EV_V2) break;
      const total = u32(buf, pos + 4);
      if (total < MIN_EV_V2_BLOCK || (total & 3) !== 0 || total > MAX_SMALL_EVENT_BLOCK || total > end - pos) break;
      if (u32(buf, pos + total - 4) !== total) break;
      const code = (buf[pos + EV_V2_CODE_AT] as number) | ((buf[pos + EV_V2_CODE_AT + 1] as number) << 8);
      if (ROLE_BY_CODE[code] !== Role.Skip) break;
      if (code < SYSDIG_0_29_3_EVENT_MAX) this.evtNum++;
      this.inEvents = true;
      pos += total;
    }
    return pos;
  };

  readonly handleBlock = (type: number, buf: Buffer, start: number, total: number, offset: number): void => {
    const ev = type === EV_V2 ? EV_V2_KIND : EVENT_BLOCKS.get(type);
    if (ev !== undefined && this.sawSection) {
      this.inEvents = true;
      this.event(ev, type, buf, start, total, offset);
      return;
    }
    try {
      this.headerBlock(type, buf, start, total, offset);
    } catch (err) {
      if (!(err instanceof BlockFormatError)) throw err;
      this.damaged(offset, type, err.message);
    }
  };

  private headerBlock(type: number, buf: Buffer, start: number, total: number, offset: number): void {
    if (type === SHB) {
      const shb = parseSectionHeader(buf, start, total);
      if (!this.sawSection) this.ctx.setCaptureInfo({ formatVersion: `scap SHB ${shb.major}.${shb.minor}` });
      else if (this.inEvents) this.warn(offset, 'a second section begins here (concatenated captures); reading on');
      this.sawSection = true;
      this.inEvents = false;
      return;
    }
    if (!this.sawSection) {
      throw new InputError(
        'INPUT_FORMAT',
        { file: this.ctx.file, offset },
        `not a scap capture: the first block is ${blockTypeName(type)}, not a section header`,
      );
    }
    if (type === MI || type === MI_OLD) {
      const mi = parseMachineInfo(buf, start, total);
      const host = mi.hostname || this.ctx.options.host || 'unknown-host';
      this.events.host = host;
      this.ctx.setCaptureInfo({ host });
      this.events.out.push(hostInfoEvent(host, mi, offset));
      return;
    }
    const plVersion = PROCLIST_VERSIONS.get(type);
    if (plVersion !== undefined) {
      this.events.snapshot(parseProclist(buf, start, total, plVersion), offset);
      return;
    }
    if (type === UL || type === UL_OLD || type === UL_V2) {
      for (const user of parseUserList(buf, start, total, type === UL_V2, this.events.host, offset)) {
        this.events.addUser(user.uid, user.name);
        this.events.out.push(user);
      }
      return;
    }
    if (SKIPPED_HEADER_BLOCKS.has(type)) return;
    if (!this.warnedTypes.has(type)) {
      this.warnedTypes.add(type);
      this.warn(offset, `skipped ${blockTypeName(type)}`);
    }
  }

  private event(kind: EventBlockKind, blockType: number, buf: Buffer, start: number, total: number, offset: number): void {
    const evStart = start + (kind.flags ? 14 : 10);
    const bodyEnd = start + total - 4;
    const headerLen = kind.v2 ? 26 : 22;
    if (evStart + headerLen > bodyEnd) {
      this.damaged(offset, blockType, 'the block is too short for an event header');
      return;
    }
    const code = (buf[evStart + 20] as number) | ((buf[evStart + 21] as number) << 8);
    const evtNum = code < SYSDIG_0_29_3_EVENT_MAX ? ++this.evtNum : undefined;
    const role = ROLE_BY_CODE[code] as Role;
    if (role === Role.Skip) return;

    const len = buf.readUInt32LE(evStart + 16);
    if (len < headerLen || evStart + len > bodyEnd) {
      this.damaged(offset, blockType, `event length ${len} does not fit its block`);
      return;
    }
    const nparams = kind.v2 ? buf.readUInt32LE(evStart + 22) : -1;
    const info = codeInfo(code);
    const problem = this.params.parse(buf, evStart, len, code, nparams, headerLen, info?.nparams ?? 0);
    if (problem !== null) {
      this.damaged(offset, blockType, `event type ${code}: ${problem}`);
      return;
    }
    const h = this.header;
    h.ts = buf.readBigUInt64LE(evStart);
    h.tid = buf.readInt32LE(evStart + 12) * 0x1_0000_0000 + buf.readUInt32LE(evStart + 8);
    h.evtNum = evtNum;
    h.offset = offset;
    const d = this.events;
    const p = this.params;
    if (role !== Role.ContainerOld && role !== Role.ContainerJson && role !== Role.AsyncEvent) d.touch(h.tid);
    switch (role) {
      case Role.CloneExit:
        d.clone(p, h, code, info?.syscall as CloneSyscall);
        return;
      case Role.ExecveEnter:
        d.execveEnter(p, h);
        return;
      case Role.ExecveatEnter:
        d.execveatEnter(p, h);
        return;
      case Role.ExecExit:
        d.exec(p, h, code, info?.syscall === 'execveat' ? 'execveat' : 'execve');
        return;
      case Role.ProcExit:
        d.procexit(p, h);
        return;
      case Role.Chdir:
        d.chdir(p, h);
        return;
      case Role.ContainerOld:
        d.containerOld(p, h);
        return;
      case Role.ContainerJson:
        if (!d.containerJson(p, h)) this.warn(offset, 'container metadata event with unreadable JSON skipped');
        return;
      case Role.AsyncEvent:
        if (!d.asyncEvent(p, h)) this.warn(offset, 'container plugin event with unreadable JSON skipped');
        return;
    }
  }

  /** A block whose framing is intact but whose content is not: stop, or skip it with a warning. */
  private damaged(offset: number, blockType: number, detail: string): void {
    const message = `corrupt ${blockTypeName(blockType)} block: ${detail}`;
    if (!this.ctx.skipBad) throw new InputError('INPUT_CORRUPT', { file: this.ctx.file, offset }, message);
    this.warn(offset, `${message}; block skipped`);
  }

  private warn(offset: number, message: string): void {
    this.ctx.warn({ location: { file: this.ctx.file, offset }, message });
  }
}

/** Little-endian u32 from bytes (as the framer reads it). */
function u32(b: Buffer, o: number): number {
  return ((b[o] as number) | ((b[o + 1] as number) << 8) | ((b[o + 2] as number) << 16) | ((b[o + 3] as number) << 24)) >>> 0;
}
