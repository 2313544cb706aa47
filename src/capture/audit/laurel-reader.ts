import type { LineageEvent } from '../../events/lineage-event.js';
import { YOUNG_BATCH } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import { epochSecondNs } from '../time-parse.js';
import type { AuditEvent, AuditFields } from './audit-event.js';
import { auditEventToLineage } from './audit-to-lineage.js';
import { LaurelSyscall } from './laurel-syscall.js';

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
