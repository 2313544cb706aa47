import { BadRecord } from '../record-errors.js';
import type { SnapshotField } from './snapshot-row.js';

/** ps header names → pedigree fields; `COMMAND`/`CMD` is comm when another args column follows. */
const HEADER_FIELDS: Record<string, SnapshotField | 'lstart' | 'skip'> = {
  PID: 'pid',
  PPID: 'ppid',
  PGID: 'pgid',
  PGRP: 'pgid',
  SID: 'sid',
  SESS: 'sid',
  UID: 'uid',
  EUID: 'uid',
  GID: 'gid',
  EGID: 'gid',
  TT: 'tty',
  TTY: 'tty',
  TNAME: 'tty',
  USER: 'user',
  EUSER: 'user',
  STARTED: 'lstart',
  LSTART: 'lstart',
  ELAPSED: 'skip',
  TIME: 'skip',
  STAT: 'skip',
  S: 'skip',
  NI: 'skip',
  PRI: 'skip',
  '%CPU': 'skip',
  '%MEM': 'skip',
  VSZ: 'skip',
  RSS: 'skip',
  WCHAN: 'skip',
  C: 'skip',
  STIME: 'skip',
  START: 'skip',
};
const TEXT_COLUMNS = new Set(['COMMAND', 'CMD', 'ARGS', 'COMM', 'UCOMM']);

export interface PsColumn {
  name: string;
  field: SnapshotField | 'lstart' | 'skip';
  /** Header position: where a left-aligned text column's values start. */
  start: number;
}

/** The columns a `ps` header names, in order. */
export function psHeader(line: string): PsColumn[] {
  const cols: PsColumn[] = [];
  const re = /\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    const name = m[0].toUpperCase();
    const known = HEADER_FIELDS[name];
    if (known === undefined && !TEXT_COLUMNS.has(name)) throw new BadRecord(`unknown ps column ${m[0]}`);
    cols.push({ name, field: known ?? 'cmdline', start: m.index });
  }
  const text = cols.filter((c) => TEXT_COLUMNS.has(c.name));
  if (text.length > 1) text[0]!.field = 'comm';
  else if (text.length === 1 && (text[0]!.name === 'COMM' || text[0]!.name === 'UCOMM')) text[0]!.field = 'comm';
  return cols;
}

/**
 * One data row under a header. Numbers and tty are single tokens, lstart is five, a comm
 * column (which may hold spaces) runs to where the last column starts, the last text column
 * takes the rest of the line.
 */
export function psRow(line: string, cols: PsColumn[]): Partial<Record<SnapshotField, string>> {
  const out: Partial<Record<SnapshotField, string>> = {};
  let pos = 0;
  const token = (): string => {
    const m = /\S+/y;
    while (line[pos] === ' ') pos++;
    m.lastIndex = pos;
    const t = m.exec(line);
    if (!t) throw new BadRecord('the row has fewer columns than the header');
    pos = m.lastIndex;
    return t[0];
  };
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const last = i === cols.length - 1;
    let value: string;
    if (c.field === 'lstart') {
      value = [token(), token(), token(), token(), token()].join(' ');
    } else if (last && (c.field === 'cmdline' || c.field === 'comm')) {
      while (line[pos] === ' ') pos++;
      value = line.slice(pos);
      pos = line.length;
    } else if (c.field === 'comm') {
      while (line[pos] === ' ') pos++;
      const end = Math.max(pos, cols[i + 1]!.start - 1);
      value = line.slice(pos, end).trimEnd();
      pos = end;
    } else {
      value = token();
    }
    if (c.field !== 'skip' && c.field !== 'lstart') out[c.field] = value;
    if (c.field === 'lstart') out.start_time = value;
  }
  return out;
}

const LSTART = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} \d\d:\d\d:\d\d \d{4}/;

/**
 * A row without a header, in one of the layouts docs/formats.md lists: integers (pid, ppid, then
 * pgid, sid, uid), an optional tty, lstart, optional etimes, then `comm args` or `args`. comm is
 * assumed present when the first word after lstart is padded to ps's 15-character comm width.
 */
export function psRowWithoutHeader(line: string): Partial<Record<SnapshotField, string>> {
  const m = LSTART.exec(line);
  if (!m) throw new BadRecord('no lstart (e.g. "Sat Nov 28 15:29:57 2026") in a ps line without header');
  const before = line.slice(0, m.index).trim().split(/\s+/);
  const ints = before.filter((t) => /^-?\d+$/.test(t));
  const tty = before.find((t) => !/^-?\d+$/.test(t));
  const [pid, ppid, pgid, sid, uid] = ints;
  if (pid === undefined) throw new BadRecord('no pid before lstart');
  const out: Partial<Record<SnapshotField, string>> = { pid, start_time: m[0] };
  if (ppid !== undefined) out.ppid = ppid;
  if (pgid !== undefined) out.pgid = pgid;
  if (sid !== undefined) out.sid = sid;
  if (uid !== undefined) out.uid = uid;
  if (tty !== undefined) out.tty = tty;
  let rest = line.slice(m.index + m[0].length + 1);
  const etimes = /^\s*\d+\s+/.exec(rest);
  if (etimes) rest = rest.slice(etimes[0].length);
  const comm = /^(\S(?:.{0,14}?))( {2,}|(?<=^.{15}) )(\S.*)$/.exec(rest);
  if (comm && comm[1]!.length + comm[2]!.length >= 16) {
    out.comm = comm[1]!.trimEnd();
    out.cmdline = comm[3]!;
  } else {
    out.cmdline = rest.trim();
  }
  return out;
}
