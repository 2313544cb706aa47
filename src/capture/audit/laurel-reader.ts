import type { LineageEvent } from '../../events/lineage-event.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import type { AuditEvent } from './audit-event.js';
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
    return eventsFromRecords(lineBatches(input.stream), ctx, (text, line) => auditEventToLineage(laurelEvent(JSON.parse(text), line), host));
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
  const m = typeof o.ID === 'string' ? /^(\d+)\.(\d+):(\d+)$/.exec(o.ID) : null;
  if (!m) throw new BadRecord('"ID" must be "seconds.ms:serial"');
  const tsNs = BigInt(m[1]!) * 1_000_000_000n + BigInt(m[2]!.padEnd(3, '0').slice(0, 3)) * 1_000_000n;
  const sc = o.SYSCALL as Json | undefined;
  let syscall: Map<string, string> | undefined;
  let enriched: Map<string, string> | undefined;
  let parent: Json | undefined;
  if (sc && typeof sc === 'object') {
    syscall = new Map();
    enriched = new Map();
    for (const k in sc) {
      const v = sc[k];
      if (v === null || typeof v === 'object') continue;
      const s = String(v);
      if (isEnrichedName(k)) enriched.set(k, s);
      else syscall.set(k, k === 'arch' && s.startsWith('0x') ? s.slice(2) : s);
    }
    // Enriched SYSCALL= would otherwise shadow the raw number; laurel always adds both.
    const regs = sc.ARGV;
    if (Array.isArray(regs)) regs.forEach((r, i) => syscall?.set(`a${i}`, String(r).replace(/^0x/, '')));
    parent = typeof sc.PPID === 'object' && sc.PPID !== null ? (sc.PPID as Json) : undefined;
  }
  const execve = o.EXECVE as Json | undefined;
  const argv = Array.isArray(execve?.ARGV) ? (execve.ARGV as unknown[]).map(String) : undefined;
  const cwd = (o.CWD as Json | undefined)?.cwd;
  const paths = Array.isArray(o.PATH) ? (o.PATH as Json[]) : [];
  const path0 = paths.find((p) => p.item === 0)?.name;
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
