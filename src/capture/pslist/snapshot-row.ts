import type { SnapshotEvent } from '../../events/lineage-event.js';
import { BadRecord } from '../record-errors.js';
import { epochToNs, isoToNs, lstartToNs } from '../time-parse.js';
import { ttyDevice } from '../tty-device.js';

/** The pedigree fields a process-list row can fill, by their `--map` names. */
export const SNAPSHOT_FIELDS = [
  'pid',
  'ppid',
  'start_time',
  'host',
  'guid',
  'parent_guid',
  'exe',
  'comm',
  'cmdline',
  'argv',
  'cwd',
  'uid',
  'gid',
  'user',
  'auid',
  'tty',
  'sid',
  'pgid',
  'container_id',
  'cgroup',
] as const;
export type SnapshotField = (typeof SNAPSHOT_FIELDS)[number];

/** Event fields copied from row values as they are (when not empty). */
const STRING_FIELDS = [
  ['guid', 'guid'],
  ['parentGuid', 'parent_guid'],
  ['exepath', 'exe'],
  ['comm', 'comm'],
  ['cwd', 'cwd'],
  ['user', 'user'],
  ['containerId', 'container_id'],
] as const;

/** Event fields read from row values as integers (4294967295, the unset id, becomes -1). */
const INT_FIELDS = [
  ['uid', 'uid'],
  ['gid', 'gid'],
  ['loginuid', 'auid'],
  ['sid', 'sid'],
  ['pgid', 'pgid'],
] as const;

/**
 * Builds a snapshot event from one row's values by pedigree field. Times: ISO 8601 (a zone, or
 * UTC), epoch s/ms/µs/ns by magnitude, or `ps` lstart (read as UTC).
 */
export function snapshotFromValues(v: Partial<Record<SnapshotField, string>>, host: string): SnapshotEvent {
  const pid = toInt(v.pid, 'pid');
  if (pid === undefined) throw new BadRecord('no pid');
  const ev: SnapshotEvent = { kind: 'snapshot', host: nonEmpty(v.host) ?? host, ts: 0n, pid };
  const ppid = toInt(v.ppid, 'ppid');
  if (ppid !== undefined) ev.ppid = ppid;
  const start = nonEmpty(v.start_time);
  if (start !== undefined) {
    const ns = epochToNs(start) ?? isoToNs(start) ?? lstartToNs(start);
    if (ns === undefined) throw new BadRecord(`start_time ${JSON.stringify(start)} is not a time`);
    ev.startTs = ns;
    ev.ts = ns;
  }
  for (const [key, field] of STRING_FIELDS) {
    const value = nonEmpty(v[field]);
    if (value !== undefined) ev[key] = value;
  }
  const argv = nonEmpty(v.argv);
  if (argv !== undefined) {
    const parsed = JSON.parse(argv) as unknown;
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new BadRecord('argv must be a JSON array of strings');
    if (parsed.length > 0) {
      ev.exe = parsed[0] as string;
      ev.args = (parsed as string[]).slice(1);
    }
  } else {
    const cmdline = nonEmpty(v.cmdline);
    if (cmdline !== undefined) ev.cmdline = cmdline;
  }
  for (const [key, field] of INT_FIELDS) {
    const n = toInt(v[field], field);
    if (n !== undefined) ev[key] = n === 4294967295 ? -1 : n;
  }
  const tty = nonEmpty(v.tty);
  if (tty !== undefined) {
    const dev = /^\d+$/.test(tty) ? Number(tty) : ttyDevice(tty);
    if (dev !== undefined) ev.tty = dev;
  }
  const cgroup = nonEmpty(v.cgroup);
  if (cgroup !== undefined) ev.cgroups = cgroupItems(cgroup);
  return ev;
}

/** `/proc/PID/cgroup` lines (`hier:controllers:path`, joined by newlines or `;`) → `controllers=path`. */
function cgroupItems(text: string): string[] {
  return text
    .split(/[\n;]/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const m = /^\d+:([^:]*):(.*)$/.exec(l);
      return m ? `${m[1] || 'unified'}=${m[2]}` : l;
    });
}

function nonEmpty(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  return t === '' || t === '-' || t === 'null' || t === 'NULL' ? undefined : t;
}

function toInt(s: string | undefined, name: string): number | undefined {
  const t = nonEmpty(s);
  if (t === undefined) return undefined;
  if (!/^-?\d+$/.test(t)) throw new BadRecord(`${name} ${JSON.stringify(t)} is not an integer`);
  return Number(t);
}
