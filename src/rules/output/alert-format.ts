import type { Alert, OutputValue } from './alert.js';
import { isoTime, timeOfDay } from './falco-time.js';

/**
 * Alerts in Falco's two output formats, so tools that read Falco's output read pedigree's:
 *
 *   text:  `10:35:15.123456789: Warning Shell spawned … (user=root …)`
 *   json:  {"hostname","output","output_fields","priority","rule","source","tags","time"},
 *          keys sorted as Falco's JSON writer sorts them, integers as JSON numbers (so
 *          nanosecond values above 2^53 are written exactly, as Falco writes them).
 */
export function alertLine(a: Alert, time: (ns: bigint) => string = timeOfDay): string {
  return `${time(a.timeNs)}: ${a.priority} ${a.output}`;
}

export function alertJson(a: Alert): string {
  const fields: Record<string, OutputValue> = { 'evt.time': a.timeNs, ...a.outputFields };
  const sortedFields = Object.fromEntries(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k] ?? null]),
  );
  return writeJson({
    hostname: a.hostname,
    output: alertLine(a),
    output_fields: sortedFields,
    priority: a.priority,
    rule: a.rule,
    source: a.source,
    tags: [...a.tags].sort(),
    time: isoTime(a.timeNs),
  });
}

export type JsonLike = OutputValue | JsonLike[] | { [k: string]: JsonLike };

export function writeJson(v: JsonLike): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${JSON.stringify(k)}:${writeJson(x)}`)
    .join(',')}}`;
}
