import type { AlertEvent, LineageEvent, SnapshotEvent } from '../../events/lineage-event.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, defaultHost } from '../record-errors.js';
import { eventsFromRecords } from '../record-stream.js';
import { isoToNs } from '../time-parse.js';
import { ancestorAttrs, containerEvent, containerIdOf, int, processAttrs, type OutputFields } from './alert-fields.js';
import { AlertedProcesses } from './alerted-processes.js';

/** Ancestor depth Falco's `proc.apid[N]` goes to in practice. */
const MAX_DEPTH = 16;

/** Falco JSON alerts (`json_output: true`), bare or inside a forwarder's wrapper object. */
export const falcoAlertReader: CaptureReader = {
  format: 'falco-alerts',
  description: 'Falco JSON alerts (json_output), one per line',
  detect(head) {
    const first = head.toString('utf8', 0, Math.min(head.length, 16384)).split('\n', 1)[0] ?? '';
    return first.trimStart().startsWith('{') && /"rule"\s*:/.test(first) && /"priority"\s*:/.test(first) && /"output(?:_fields)?"\s*:/.test(first);
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    return readFalcoAlerts(input, ctx, new AlertedProcesses());
  },
};

/** Alerts naming forgotten processes that are reported one by one; the rest are counted in the summary. */
const REPORTED_HITS = 10;

/** The reader's pass, with the table of alerted processes given (tests bound it lower). */
export async function* readFalcoAlerts(input: ReaderInput, ctx: ReaderContext, seen: AlertedProcesses): AsyncIterable<LineageEvent[]> {
  const host = defaultHost(ctx);
  let warnedForgetting = false;
  let hits = 0;
  let reported = 0;
  yield* eventsFromRecords(lineBatches(input.stream), ctx, (text, line) => {
    const events = alertToLineage(JSON.parse(text), text, host, seen);
    for (const ev of events) ev.pos = { line };
    if (seen.forgotten > 0 && !warnedForgetting) {
      warnedForgetting = true;
      ctx.warn({
        location: { file: input.path, line },
        message: `more than ${seen.cap} alerted processes are held: from here on the older ones are forgotten, half the bound at a time; an alert that names one again adds no second snapshot row for it (it is linked by pid), and is reported`,
      });
    }
    if (seen.forgottenHits > hits) {
      hits = seen.forgottenHits;
      if (reported++ < REPORTED_HITS) {
        ctx.warn({
          location: { file: input.path, line },
          message:
            'this alert names a process the reader forgot (or, about once in a million, one never seen that its filter takes for one): no snapshot row is made for it again; the alert is linked to the process of that pid the case has at its time',
        });
      }
    }
    return events;
  });
  if (seen.forgotten > 0) {
    ctx.warn({
      location: { file: input.path },
      message: `${seen.forgotten} alerted processes were forgotten to keep memory bounded (at most ${seen.cap} are held); ${seen.forgottenHits} times later alerts named one of them (the first ${REPORTED_HITS} such alerts reported at their lines)`,
    });
  }
}

type Json = Record<string, unknown>;

function findAlert(o: unknown): Json | undefined {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const j = o as Json;
  if (typeof j.rule === 'string' && typeof j.priority === 'string') return j;
  for (const v of Object.values(j)) {
    const found = findAlert(v);
    if (found) return found;
  }
  return undefined;
}

/**
 * One alert → the alert itself, plus what its output fields say about lineage: its container,
 * and (when `proc.pid` was printed) the process and its ancestors (`proc.apid[N]`,
 * `proc.aname[N]` …) as snapshot rows — tasks known to exist at alert time, each pid once.
 */
function alertToLineage(obj: unknown, raw: string, defaultHostName: string, seen: AlertedProcesses): LineageEvent[] {
  const a = findAlert(obj);
  if (!a) throw new BadRecord('no Falco alert (an object with "rule" and "priority") in this line');
  const fields = (typeof a.output_fields === 'object' && a.output_fields !== null ? a.output_fields : {}) as OutputFields;
  const host = typeof a.hostname === 'string' && a.hostname !== '' ? a.hostname : defaultHostName;
  // evt.time is ns above 2^53: JSON.parse rounds it, so its digits are read from the text.
  const evtTime = /"evt\.time"\s*:\s*(\d+)/.exec(raw)?.[1];
  const ts = (evtTime ? BigInt(evtTime) : undefined) ?? (typeof a.time === 'string' ? isoToNs(a.time) : undefined) ?? 0n;
  const out: LineageEvent[] = [];
  const container = containerEvent(fields, host, ts);
  if (container) out.push(container);

  const pid = int(fields['proc.pid']);
  if (pid !== undefined) {
    const chain: { pid: number; attrs: ReturnType<typeof ancestorAttrs> }[] = [{ pid, attrs: processAttrs(fields) }];
    for (let n = 1; n <= MAX_DEPTH; n++) {
      const apid = int(fields[`proc.apid[${n}]`]) ?? (n === 1 ? int(fields['proc.ppid']) : undefined);
      if (apid === undefined || apid <= 0) break;
      chain.push({ pid: apid, attrs: ancestorAttrs(fields, n) });
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const { pid: p, attrs } = chain[i]!;
      const key = `${host}|${p}|${i === 0 ? (fields['proc.pid.ts'] ?? '') : ''}`;
      if (!seen.isNew(key)) continue;
      const snap: SnapshotEvent = Object.assign({ kind: 'snapshot' as const, host, ts, pid: p }, attrs);
      const ppid = chain[i + 1]?.pid;
      if (ppid !== undefined) snap.ppid = ppid;
      if (i === 0) {
        const vpid = int(fields['proc.vpid']);
        if (vpid !== undefined) snap.vpid = vpid;
        const start = /"proc\.pid\.ts"\s*:\s*(\d+)/.exec(raw)?.[1];
        if (start) snap.startTs = BigInt(start);
      }
      out.push(snap);
    }
  }

  const alert: AlertEvent = {
    kind: 'alert',
    host,
    ts,
    rule: a.rule as string,
    priority: a.priority as string,
    output: alertText(a),
    fields,
  };
  if (typeof a.source === 'string') alert.source = a.source;
  if (Array.isArray(a.tags)) alert.tags = a.tags.map(String);
  if (pid !== undefined) alert.pid = pid;
  const cid = containerIdOf(fields);
  if (cid) alert.containerId = cid;
  out.push(alert);
  return out;
}

/** The alert's message without Falco's `<time>: <Priority> ` prefix. */
function alertText(a: Json): string {
  if (typeof a.message === 'string') return a.message;
  const output = typeof a.output === 'string' ? a.output : '';
  const m = /^\d\d:\d\d:\d\d\.\d+: [A-Z][a-z]+ (.*)$/s.exec(output);
  return m ? m[1]! : output;
}
