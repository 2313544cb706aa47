import { BadRecord } from '../record-errors.js';
import type { AuditFields } from './audit-event.js';

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

/** Keys whose values audit hex-encodes when they hold spaces, quotes or non-ASCII bytes. */
const UNTRUSTED = new Set(['comm', 'exe', 'cwd', 'name', 'key', 'proctitle']);

/**
 * Parses one line of audit.log (RAW or ENRICHED, with or without `node=`, a syslog prefix or the
 * kernel's `audit: type=1300 audit(…)` form). Returns null for lines that carry no audit record
 * (blank, `#` comments); throws BadRecord for a line that looks like audit but is damaged.
 */
export function parseAuditLine(text: string, wanted: ReadonlySet<string> = LINEAGE_TYPES): AuditRecord | null | 'skip' {
  if (text.length === 0 || text.charCodeAt(0) === 35 /* # */ || text.trim() === '') return null;
  const m = HEADER.exec(text);
  if (!m) throw new BadRecord('not an audit record (no "type=… msg=audit(…):" header)');
  const type = NUMERIC_TYPES[m[2]!] ?? m[2]!;
  if (!wanted.has(type)) return 'skip';
  const node = m[1];
  const tsNs = BigInt(m[3]!) * 1_000_000_000n + BigInt(m[4]!.padEnd(3, '0').slice(0, 3)) * 1_000_000n;
  const key = `${node ?? ''}|${m[3]}.${m[4]}:${m[5]}`;
  let body = text.slice(m.index + m[0].length);
  if (type === 'PATH') return { type, node, key, tsNs, fields: pathFields(body), enriched: undefined };
  let enriched: AuditFields | undefined;
  const gs = body.indexOf('\x1d');
  if (gs >= 0) {
    enriched = parseFields(body.slice(gs + 1), false);
    body = body.slice(0, gs);
  }
  return { type, node, key, tsNs, fields: parseFields(body, type === 'EXECVE'), enriched };
}

/** PATH records only matter for item 0's name (the file exec was given); the rest is skipped. */
function pathFields(body: string): AuditFields {
  if (!body.startsWith('item=0 ')) return NO_FIELDS;
  const end = body.indexOf(' inode=');
  return parseFields(end > 0 ? body.slice(0, end) : body, false);
}

const NO_FIELDS: AuditFields = new Map();

function parseFields(body: string, execve: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const n = body.length;
  let i = 0;
  while (i < n) {
    while (i < n && body.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    const eq = body.indexOf('=', i);
    if (eq < 0) break;
    const key = body.slice(i, eq);
    let value: string;
    let quoted = false;
    const q = body.charCodeAt(eq + 1);
    if (q === 34 || q === 39) {
      const close = body.indexOf(String.fromCharCode(q), eq + 2);
      if (close < 0) throw new BadRecord(`unterminated quoted value for ${key}`);
      value = body.slice(eq + 2, close);
      quoted = true;
      i = close + 1;
    } else {
      let end = body.indexOf(' ', eq + 1);
      if (end < 0) end = n;
      value = body.slice(eq + 1, end);
      i = end;
    }
    if (!quoted && value === '(null)') continue;
    if (execve && key.endsWith(']')) {
      // Chunks of one long argument: kept as raw bytes (latin1) until they are joined, so a
      // multi-byte character split across chunks survives.
      value = quoted ? Buffer.from(value, 'utf8').toString('latin1') : hexBytes(value, key).toString('latin1');
    } else if (!quoted && (UNTRUSTED.has(key) || (execve && key.charCodeAt(0) === 97 /* a */ && /^a\d+$/.test(key)))) {
      value = decodeHex(value, key);
    }
    out.set(key, value);
  }
  return out;
}

/** Unquoted untrusted values are upper-case hex of the raw bytes. */
function decodeHex(value: string, key: string): string {
  return hexBytes(value, key).toString('utf8');
}

function hexBytes(value: string, key: string): Buffer {
  if (value.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(value)) {
    throw new BadRecord(`${key}: expected a quoted string or hex, got ${value.slice(0, 40)}`);
  }
  return Buffer.from(value, 'hex');
}
