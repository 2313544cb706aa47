import { BadRecord } from '../record-errors.js';
import { detachedString } from '../detached-string.js';
import { isRegexSpace } from '../regex-space.js';
import { epochSecondNs } from '../time-parse.js';
import type { AuditFields } from './audit-event.js';
import { KeyTable } from './key-table.js';

/** One audit record line, with the values the lineage needs decoded. */
export interface AuditRecord {
  /** SYSCALL, EXECVE, CWD, PATH, PROCTITLE, EOE … (numeric kmsg types mapped to names). */
  type: string;
  node: string | undefined;
  /** `node|seconds.ms:serial`: the records of one event share it. */
  key: string;
  tsNs: bigint;
  /** key → value; untrusted strings already hex-decoded, `(null)` dropped. */
  fields: AuditFields;
  /** ENRICHED interpreted fields after 0x1D (`UID="root"` …), unquoted. */
  enriched: AuditFields | undefined;
}

const NUMERIC_TYPES: Record<string, string> = {
  '1300': 'SYSCALL',
  '1302': 'PATH',
  '1307': 'CWD',
  '1309': 'EXECVE',
  '1320': 'EOE',
  '1327': 'PROCTITLE',
};

/** The record types that carry lineage; everything else is only grouped past. */
export const LINEAGE_TYPES: ReadonlySet<string> = new Set(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE', 'EOE']);

const HEADER = /(?:node=(\S+)\s+)?type=(\S+)\s+(?:msg=)?audit\((\d+)\.(\d+):(\d+)\):\s?/;

/** The values of a KeyTable's names in one record: one array, no hash table grown per record. */
class KeptFields implements AuditFields {
  readonly values: (string | undefined)[];

  constructor(private readonly table: KeyTable) {
    this.values = new Array<string | undefined>(table.names.length).fill(undefined);
  }

  get(key: string): string | undefined {
    const i = this.table.names.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  *[Symbol.iterator](): Iterator<readonly [string, string]> {
    for (let i = 0; i < this.values.length; i++) {
      const v = this.values[i];
      if (v !== undefined) yield [this.table.names[i]!, v];
    }
  }
}

function keyTable(keys: readonly string[]): KeyTable {
  return new KeyTable(keys);
}

const TYPES = keyTable(['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE', 'EOE', 'AUOMS_EXECVE', ...Object.keys(NUMERIC_TYPES)]);

/** Keys whose values audit hex-encodes when they hold spaces, quotes or non-ASCII bytes. */
const UNTRUSTED_NAMES = ['comm', 'exe', 'cwd', 'name', 'key', 'proctitle'];

/**
 * How a record type's fields are read, with one lookup per field: `table` holds the names kept
 * (its first `kept`; every field when `keepAll`) and then the untrusted names that are not.
 */
interface FieldRules {
  table: KeyTable;
  kept: number;
  keepAll: boolean;
  untrusted: readonly boolean[];
}

function fieldRules(kept: readonly string[] | undefined): FieldRules {
  const names = [...(kept ?? []), ...UNTRUSTED_NAMES.filter((n) => !kept?.includes(n))];
  return { table: keyTable(names), kept: kept?.length ?? 0, keepAll: kept === undefined, untrusted: names.map((n) => UNTRUSTED_NAMES.includes(n)) };
}

/** Every field kept (EXECVE's arguments, AUOMS's folded record). */
const KEEP_ALL = fieldRules(undefined);

/**
 * The fields each record type keeps (audit-to-lineage.ts and syscall-table.ts read them); the
 * others are still checked (quotes closed, hex well formed) but not kept. Absent: every field.
 */
const KEEP: Record<string, FieldRules | undefined> = {
  SYSCALL: fieldRules(['arch', 'syscall', 'success', 'exit', 'a0', 'ppid', 'pid', 'uid', 'gid', 'euid', 'auid', 'tty', 'comm', 'exe']),
  CWD: fieldRules(['cwd']),
  PATH: fieldRules(['item', 'name']),
  PROCTITLE: fieldRules(['proctitle']),
  EOE: fieldRules([]),
};
const KEEP_ENRICHED = fieldRules(['SYSCALL', 'UID']);

/**
 * Parses one line of audit.log (RAW or ENRICHED, with or without `node=`, a syslog prefix or the
 * kernel's `audit: type=1300 audit(…)` form). Returns null for lines that carry no audit record
 * (blank, `#` comments); throws BadRecord for a line that looks like audit but is damaged.
 */
export function parseAuditLine(text: string, wanted: ReadonlySet<string> = LINEAGE_TYPES): AuditRecord | null | 'skip' {
  if (text.length === 0 || text.charCodeAt(0) === 35 /* # */ || (isRegexSpace(text.charCodeAt(0)) && text.trim() === '')) return null;
  if (!plainHeader(text)) {
    const m = HEADER.exec(text);
    if (!m) throw new BadRecord('not an audit record (no "type=… msg=audit(…):" header)');
    h.node = m[1];
    h.type = m[2]!;
    h.stamp = `${m[3]}.${m[4]}:${m[5]}`;
    h.tsNs = BigInt(m[3]!) * 1_000_000_000n + BigInt(m[4]!.padEnd(3, '0').slice(0, 3)) * 1_000_000n;
    h.key = `${h.node ?? ''}|${h.stamp}`;
    h.bodyStart = m.index + m[0].length;
    stampDigits.shape = 0;
  }
  const type = NUMERIC_TYPES[h.type] ?? h.type;
  if (!wanted.has(type)) return 'skip';
  const { node, tsNs, key, bodyStart } = h;
  const n = text.length;
  if (type === 'PATH') {
    // Only item 0's name matters (the file exec was given); the rest is skipped.
    if (!text.startsWith('item=0 ', bodyStart)) return { type, node, key, tsNs, fields: NO_FIELDS, enriched: undefined };
    const inode = text.indexOf(' inode=', bodyStart);
    return { type, node, key, tsNs, fields: parseFields(text, bodyStart, inode > bodyStart ? inode : n, false, KEEP.PATH!), enriched: undefined };
  }
  const keep = KEEP[type] ?? KEEP_ALL;
  const gs = text.indexOf('\x1d', bodyStart);
  const enriched = gs >= 0 ? parseFields(text, gs + 1, n, false, keep === KEEP_ALL ? KEEP_ALL : KEEP_ENRICHED) : undefined;
  return { type, node, key, tsNs, fields: parseFields(text, bodyStart, gs >= 0 ? gs : n, type === 'EXECVE', keep), enriched };
}

/**
 * The header last read (one per line, so kept here rather than allocated). `stamp`, `tsNs` and
 * `key` always belong together: a record with the same node and stamp as the one before (the
 * records of one event mostly come together) reuses them, so the grouper compares one string
 * with itself and no time is computed again.
 */
const h = { node: undefined as string | undefined, type: '', stamp: '', tsNs: 0n, key: '|', bodyStart: 0 };

/**
 * The stamp of `h` as numbers: seconds, milliseconds and serial with their digit counts (digits
 * only, so equal numbers and counts are equal text); `shape` (the counts) 0 when it was not read
 * that way.
 */
const stampDigits = { seconds: 0, ms: 0, serial: 0, shape: 0 };

/**
 * `[node=N ]type=T [msg=]audit(S.MS:SERIAL): ` at the start of the line, read without the
 * regular expression; false when the line has another shape (the expression then reads it, and
 * gives the same result whenever this succeeds).
 */
function plainHeader(text: string): boolean {
  const n = text.length;
  let p = 0;
  let node: string | undefined;
  if (literalAt(text, 0, NODE_EQ)) {
    let e = 5;
    while (e < n && !isRegexSpace(text.charCodeAt(e))) e++;
    if (e === 5 || e >= n) return false;
    node = h.node !== undefined && h.node.length === e - 5 && text.startsWith(h.node, 5) ? h.node : text.slice(5, e);
    p = e;
    while (p < n && isRegexSpace(text.charCodeAt(p))) p++;
  }
  if (!literalAt(text, p, TYPE_EQ)) return false;
  let e = p + 5;
  while (e < n && !isRegexSpace(text.charCodeAt(e))) e++;
  if (e === p + 5 || e >= n) return false;
  // A known type as the program's own string: looking it up needs no hashing of a fresh slice.
  const type = TYPES.nameAt(text, p + 5, e) ?? text.slice(p + 5, e);
  p = e;
  while (p < n && isRegexSpace(text.charCodeAt(p))) p++;
  if (literalAt(text, p, MSG_EQ)) p += 4;
  if (!literalAt(text, p, AUDIT_PAREN)) return false;
  p += 6;
  const stampStart = p;
  let seconds = 0;
  while (p < n && isDigit(text.charCodeAt(p))) seconds = seconds * 10 + text.charCodeAt(p++) - 48;
  const secondsEnd = p;
  if (p === stampStart || text.charCodeAt(p) !== 46 /* . */) return false;
  let ms = 0;
  let msAll = 0;
  const msStart = ++p;
  while (p < n && isDigit(text.charCodeAt(p))) {
    const d = text.charCodeAt(p) - 48;
    if (p - msStart < 3) ms = ms * 10 + d;
    msAll = msAll * 10 + d;
    p++;
  }
  if (p === msStart || text.charCodeAt(p) !== 58 /* : */) return false;
  const serialStart = ++p;
  let serial = 0;
  while (p < n && isDigit(text.charCodeAt(p))) serial = serial * 10 + text.charCodeAt(p++) - 48;
  if (p === serialStart || text.charCodeAt(p) !== 41 /* ) */ || text.charCodeAt(p + 1) !== 58 /* : */) return false;
  const secondsDigits = secondsEnd - stampStart;
  const msDigits = serialStart - 1 - msStart;
  const serialDigits = p - serialStart;
  // The three parts' digit counts in one number (a part of more than 15 digits: not compared).
  const shape = secondsDigits <= 15 && msDigits <= 15 && serialDigits <= 15 ? secondsDigits * 256 + msDigits * 16 + serialDigits : 0;
  const same = shape !== 0 && shape === stampDigits.shape && seconds === stampDigits.seconds && msAll === stampDigits.ms && serial === stampDigits.serial;
  if (node !== h.node || !same) {
    stampDigits.seconds = seconds;
    stampDigits.ms = msAll;
    stampDigits.serial = serial;
    stampDigits.shape = shape;
    h.stamp = text.slice(stampStart, p);
    for (let digits = Math.min(serialStart - 1 - msStart, 3); digits < 3; digits++) ms *= 10; // `.5` is 500 ms
    h.tsNs =
      secondsEnd - stampStart <= 15
        ? epochSecondNs(seconds) + BigInt(ms * 1_000_000)
        : BigInt(text.slice(stampStart, secondsEnd)) * 1_000_000_000n + BigInt(ms * 1_000_000);
    h.key = `${node ?? ''}|${h.stamp}`;
    h.node = node;
  }
  h.type = type;
  p += 2;
  if (p < n && isRegexSpace(text.charCodeAt(p))) p++;
  h.bodyStart = p;
  return true;
}

const NODE_EQ = codes('node=');
const TYPE_EQ = codes('type=');
const MSG_EQ = codes('msg=');
const AUDIT_PAREN = codes('audit(');

function codes(literal: string): number[] {
  return [...literal].map((c) => c.charCodeAt(0));
}

/** text.startsWith(literal, p) for a short literal given as char codes: no call into the engine per header part. */
function literalAt(text: string, p: number, literal: readonly number[]): boolean {
  for (let i = 0; i < literal.length; i++) if (text.charCodeAt(p + i) !== literal[i]) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const NO_FIELDS: AuditFields = new Map();

/**
 * The `key=value` fields of text[start, end). Keeps those `keep` names (all when it is
 * undefined); every field is still checked as before: a quote left open or an untrusted value
 * that is neither quoted nor hex is a BadRecord.
 */
function parseFields(text: string, start: number, end: number, execve: boolean, rules: FieldRules): AuditFields {
  let all: Map<string, string> | undefined;
  let kept: KeptFields | undefined;
  const { table, keepAll } = rules;
  let i = start;
  while (i < end) {
    while (i < end && text.charCodeAt(i) === 32) i++;
    if (i >= end) break;
    const eq = text.indexOf('=', i);
    if (eq < 0 || eq >= end) break;
    const keyStart = i;
    const index = table.indexAt(text, keyStart, eq);
    let valueStart: number;
    let valueEnd: number;
    let quoted = false;
    const q = eq + 1 < end ? text.charCodeAt(eq + 1) : -1;
    if (q === 34 || q === 39) {
      const close = text.indexOf(q === 34 ? '"' : "'", eq + 2);
      if (close < 0 || close >= end) throw new BadRecord(`unterminated quoted value for ${text.slice(keyStart, eq)}`);
      valueStart = eq + 2;
      valueEnd = close;
      quoted = true;
      i = close + 1;
    } else {
      let sp = text.indexOf(' ', eq + 1);
      if (sp < 0 || sp > end) sp = end;
      valueStart = eq + 1;
      valueEnd = sp;
      i = sp;
    }
    if (!quoted && valueEnd - valueStart === 6 && text.startsWith('(null)', valueStart)) continue;
    const untrusted = !quoted && index >= 0 && rules.untrusted[index]!;
    if (!keepAll && !(index >= 0 && index < rules.kept)) {
      // Not kept, but an untrusted value must still be quoted or hex.
      if (untrusted) checkHex(text, valueStart, valueEnd, keyStart, eq);
      continue;
    }
    const key = keepAll ? text.slice(keyStart, eq) : table.names[index]!;
    let value = text.slice(valueStart, valueEnd);
    if (execve && key.endsWith(']')) {
      // Chunks of one long argument: kept as raw bytes (latin1) until they are joined, so a
      // multi-byte character split across chunks survives.
      value = quoted ? Buffer.from(value, 'utf8').toString('latin1') : hexBytes(value, key).toString('latin1');
    } else if (untrusted || (!quoted && execve && key.charCodeAt(0) === 97 /* a */ && /^a\d+$/.test(key))) {
      value = decodeHex(value, key);
    } else {
      // A value the linker may keep (an executable path, a working directory) must not keep the record's line.
      value = detachedString(value);
    }
    if (keepAll) {
      all ??= new Map();
      all.set(key, value);
    } else {
      kept ??= new KeptFields(table);
      kept.values[index] = value;
    }
  }
  return kept ?? all ?? NO_FIELDS;
}

/** Unquoted untrusted values are upper-case hex of the raw bytes. */
function decodeHex(value: string, key: string): string {
  return hexBytes(value, key).toString('utf8');
}

function hexBytes(value: string, key: string): Buffer {
  if (value.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(value)) throw notHex(value, key);
  return Buffer.from(value, 'hex');
}

/** The check of hexBytes on text[start, end), for a value that is not kept. */
function checkHex(text: string, start: number, end: number, keyStart: number, keyEnd: number): void {
  let ok = (end - start) % 2 === 0;
  for (let i = start; ok && i < end; i++) {
    const c = text.charCodeAt(i);
    ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
  }
  if (!ok) throw notHex(text.slice(start, end), text.slice(keyStart, keyEnd));
}

function notHex(value: string, key: string): BadRecord {
  return new BadRecord(`${key}: expected a quoted string or hex, got ${value.slice(0, 40)}`);
}
