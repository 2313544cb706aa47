import type { LineageEvent } from '../../events/lineage-event.js';
import { YOUNG_BATCH } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import { epochSecondNs } from '../time-parse.js';
import type { AuditEvent, AuditFields } from './audit-event.js';
import { auditEventToLineage } from './audit-to-lineage.js';

/** laurel's JSON: one audit event per line, records already grouped and decoded. */
export const laurelReader: CaptureReader = {
  format: 'laurel',
  description: 'laurel JSON (audit events grouped by laurel, one per line)',
  detect(head) {
    return /^\s*\{"ID":"\d+\.\d+:\d+"/.test(head.toString('utf8', 0, Math.min(head.length, 256)));
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const host = defaultHost(ctx);
    return eventsFromRecords(lineBatches(input.stream), ctx, (text, line) => auditEventToLineage(laurelEvent(JSON.parse(text), line), host), YOUNG_BATCH);
  },
};

type Json = Record<string, unknown>;

/** laurel writes its interpreted fields in upper case (`UID`, `SYSCALL`) beside the raw ones: a letter, and none in lower case. */
function isEnrichedName(k: string): boolean {
  let upper = false;
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) upper = true;
  }
  return upper;
}

function laurelEvent(obj: unknown, line: number): AuditEvent {
  if (obj === null || typeof obj !== 'object') throw new BadRecord('not a JSON object');
  const o = obj as Json;
  const tsNs = typeof o.ID === 'string' ? idTime(o.ID) : undefined;
  if (tsNs === undefined) throw new BadRecord('"ID" must be "seconds.ms:serial"');
  const sc = o.SYSCALL as Json | undefined;
  let syscall: AuditFields | undefined;
  let enriched: AuditFields | undefined;
  let parent: Json | undefined;
  if (sc && typeof sc === 'object') {
    syscall = new LaurelSyscall(sc, false);
    enriched = new LaurelSyscall(sc, true);
    parent = typeof sc.PPID === 'object' && sc.PPID !== null ? (sc.PPID as Json) : undefined;
  }
  const execve = o.EXECVE as Json | undefined;
  const argv = Array.isArray(execve?.ARGV) ? (execve.ARGV as unknown[]).map(String) : undefined;
  const cwd = (o.CWD as Json | undefined)?.cwd;
  let path0: unknown;
  if (Array.isArray(o.PATH))
    // Only an object has an item (a null element used to stop the import with a TypeError).
    for (const p of o.PATH as unknown[])
      if (p !== null && typeof p === 'object' && (p as Json).item === 0) {
        path0 = (p as Json).name;
        break;
      }
  const title = (o.PROCTITLE as Json | undefined)?.ARGV;
  const ev: AuditEvent = {
    node: typeof o.NODE === 'string' ? o.NODE : undefined,
    tsNs,
    line,
    syscall,
    enriched,
    argv,
    cwd: typeof cwd === 'string' ? cwd : undefined,
    path0: typeof path0 === 'string' ? path0 : undefined,
    proctitle: Array.isArray(title) ? title.map(String) : undefined,
  };
  if (parent) {
    if (typeof parent.comm === 'string') ev.parentComm = parent.comm;
    if (typeof parent.exe === 'string') ev.parentExe = parent.exe;
  }
  return ev;
}

/** `seconds.ms:serial` → the time in ns (ms cut or padded to three digits), or undefined for another shape. */
function idTime(id: string): bigint | undefined {
  const n = id.length;
  let p = 0;
  let seconds = 0;
  while (p < n && isDigit(id.charCodeAt(p))) seconds = seconds * 10 + id.charCodeAt(p++) - 48;
  const secondsEnd = p;
  if (p === 0 || id.charCodeAt(p) !== 46 /* . */) return undefined;
  const msStart = ++p;
  let ms = 0;
  while (p < n && isDigit(id.charCodeAt(p))) {
    if (p - msStart < 3) ms = ms * 10 + id.charCodeAt(p) - 48;
    p++;
  }
  if (p === msStart || id.charCodeAt(p) !== 58 /* : */) return undefined;
  for (let digits = Math.min(p - msStart, 3); digits < 3; digits++) ms *= 10; // `.5` is 500 ms
  const serialStart = ++p;
  while (p < n && isDigit(id.charCodeAt(p))) p++;
  if (p === serialStart || p !== n) return undefined;
  const secondsNs = secondsEnd <= 15 ? epochSecondNs(seconds) : BigInt(id.slice(0, secondsEnd)) * 1_000_000_000n;
  return secondsNs + BigInt(ms * 1_000_000);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * laurel's SYSCALL object read as audit fields, without copying its ~35 members: the raw fields
 * (`enriched` false: names with a lower-case letter, `arch` without `0x`, `aN` from the `ARGV`
 * registers) or the interpreted ones (upper-case names). Values are the members as strings;
 * null and nested members are not fields.
 */
class LaurelSyscall implements AuditFields {
  constructor(
    private readonly sc: Json,
    private readonly enriched: boolean,
  ) {}

  get(key: string): string | undefined {
    if (isEnrichedName(key) !== this.enriched) return undefined;
    if (!this.enriched && key.charCodeAt(0) === 97 /* a */) {
      const regs = this.sc.ARGV;
      const i = Array.isArray(regs) ? registerIndex(key) : -1;
      if (i >= 0 && i < (regs as unknown[]).length) return String((regs as unknown[])[i]).replace(/^0x/, '');
    }
    if (!Object.hasOwn(this.sc, key)) return undefined;
    const v = this.sc[key];
    if (v === null || typeof v === 'object') return undefined;
    const s = String(v);
    return key === 'arch' && s.startsWith('0x') ? s.slice(2) : s;
  }

  [Symbol.iterator](): Iterator<readonly [string, string]> {
    const all = new Map<string, string>();
    for (const k in this.sc) {
      const v = this.get(k);
      if (v !== undefined) all.set(k, v);
    }
    const regs = this.sc.ARGV;
    if (!this.enriched && Array.isArray(regs)) regs.forEach((_r, i) => all.set(`a${i}`, this.get(`a${i}`)!));
    return all.entries();
  }
}

/** N of a register name `aN` (no leading zeros), else -1. */
function registerIndex(key: string): number {
  if (key.length < 2 || key.charCodeAt(0) !== 97 || (key.charCodeAt(1) === 48 && key.length > 2)) return -1;
  let n = 0;
  for (let i = 1; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    n = n * 10 + c - 48;
  }
  return n;
}
