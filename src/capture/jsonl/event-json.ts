import type { LineageEvent, LineageEventKind } from '../../events/lineage-event.js';
import { LINEAGE_EVENT_KINDS } from '../../events/lineage-event.js';
import { BadRecord } from '../record-errors.js';

/**
 * pedigree's own capture format: one lineage event per line, as JSON (docs/event-format.md).
 * bigint fields travel as decimal strings, because JSON.parse rounds integers above 2^53.
 */

const BIGINT_FIELDS = new Set(['ts', 'startTs', 'bootTs']);
const KINDS = new Set<string>(LINEAGE_EVENT_KINDS);

/** A problem with one line: the reader adds file and line. */
class EventShapeError extends BadRecord {}

const INT_FIELDS: Record<string, readonly string[]> = {
  fork: ['pid', 'ppid'],
  exec: ['pid'],
  exit: ['pid'],
  snapshot: ['pid'],
  container: [],
  user: ['uid'],
  hostinfo: [],
  alert: [],
};

const OPTIONAL_INTS = [
  'tid',
  'vpid',
  'vtid',
  'ppid',
  'uid',
  'gid',
  'euid',
  'loginuid',
  'tty',
  'sid',
  'pgid',
  'vpgid',
  'errno',
  'code',
  'signal',
  'reaper',
  'evtNum',
  'cpus',
  'memoryBytes',
];
const OPTIONAL_STRINGS = ['comm', 'exe', 'exepath', 'cmdline', 'cwd', 'user', 'containerId', 'guid', 'parentGuid'];
const STRING_ARRAYS = ['args', 'env', 'cgroups'];

/** How the fast path checks a field of a process event; fields it does not list are not checked. */
const INT = 1;
const STRING = 2;
const STRING_ARRAY = 3;
const NS = 4;
const FIELD_CHECKS = new Map<string, number>([
  ...OPTIONAL_INTS.map((k) => [k, INT] as const),
  ['pid', INT],
  ...OPTIONAL_STRINGS.map((k) => [k, STRING] as const),
  ...STRING_ARRAYS.map((k) => [k, STRING_ARRAY] as const),
  ...[...BIGINT_FIELDS].map((k) => [k, NS] as const),
]);
const DECIMAL = /^-?\d+$/;

/**
 * Turns one parsed JSON object into a typed event, checking what the linker relies on.
 * `line` is the raw text, used to recover exact digits of numeric timestamps.
 */
export function eventFromJson(obj: unknown, line: string, defaultHost: string | undefined): LineageEvent {
  return processEventIfSound(obj, defaultHost) ?? checkedEvent(obj, line, defaultHost);
}

/**
 * The common case in one pass over the fields present: a fork, exec, exit or snapshot whose
 * fields are all well-formed, with times as decimal strings. Anything else (or any doubt) returns
 * null before changing the object, and the full check below says what is wrong, in its order.
 */
function processEventIfSound(obj: unknown, defaultHost: string | undefined): LineageEvent | null {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const o = obj as Record<string, unknown>;
  const kind = o.kind;
  if (kind !== 'exec' && kind !== 'fork' && kind !== 'exit' && kind !== 'snapshot') return null;
  if (o.parent !== undefined || typeof o.pid !== 'number' || typeof o.ts !== 'string') return null;
  if (kind === 'fork' && o.ppid === undefined) return null;
  if (kind === 'exec' && o.ok !== undefined && typeof o.ok !== 'boolean') return null;
  const host = o.host === undefined ? defaultHost : o.host;
  if (typeof host !== 'string' || host === '') return null;
  for (const key in o) {
    const v = o[key];
    switch (FIELD_CHECKS.get(key)) {
      case INT:
        if (!Number.isSafeInteger(v)) return null;
        break;
      case STRING:
        if (typeof v !== 'string') return null;
        break;
      case STRING_ARRAY:
        if (!isStringArray(v)) return null;
        break;
      case NS:
        if (typeof v !== 'string' || !DECIMAL.test(v)) return null;
        break;
      case undefined: // a field the linker does not rely on
        break;
    }
  }
  o.host = host;
  o.ts = BigInt(o.ts);
  if (o.startTs !== undefined) o.startTs = BigInt(o.startTs as string);
  if (o.bootTs !== undefined) o.bootTs = BigInt(o.bootTs as string);
  if (kind === 'exec' && o.ok === undefined) o.ok = true;
  return o as unknown as LineageEvent;
}

/** Every check, in the order its errors are reported (exported for the fast path's differential test). */
export function checkedEvent(obj: unknown, line: string, defaultHost: string | undefined): LineageEvent {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new EventShapeError('not a JSON object');
  }
  const o = obj as Record<string, unknown>;
  const kind = o.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) {
    throw new EventShapeError(`"kind" must be one of ${LINEAGE_EVENT_KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  }
  if (o.host === undefined && defaultHost !== undefined) o.host = defaultHost;
  if (typeof o.host !== 'string' || o.host === '') throw new EventShapeError('"host" must be a non-empty string');
  for (const key of BIGINT_FIELDS) {
    if (o[key] !== undefined) o[key] = toBigInt(key, o[key], line);
  }
  if (o.ts === undefined) throw new EventShapeError('"ts" is missing (ns since the epoch, as a decimal string)');
  if (o.parent !== undefined) {
    const parent = o.parent as Record<string, unknown>;
    if (parent === null || typeof parent !== 'object' || !Number.isSafeInteger(parent.pid)) {
      throw new EventShapeError('"parent" must be an object with an integer "pid"');
    }
    if (parent.startTs !== undefined) parent.startTs = toBigInt('startTs', parent.startTs, line);
  }
  for (const key of INT_FIELDS[kind as LineageEventKind] ?? []) {
    const v = o[key];
    if (v === undefined) throw new EventShapeError(`"${key}" is missing`);
    if (!Number.isSafeInteger(v)) throw new EventShapeError(`"${key}" must be an integer, got ${JSON.stringify(v)}`);
  }
  for (const key of OPTIONAL_INTS) {
    const v = o[key];
    if (v !== undefined && !Number.isSafeInteger(v)) throw new EventShapeError(`"${key}" must be an integer, got ${JSON.stringify(v)}`);
  }
  for (const key of OPTIONAL_STRINGS) {
    const v = o[key];
    if (v !== undefined && typeof v !== 'string') throw new EventShapeError(`"${key}" must be a string`);
  }
  for (const key of STRING_ARRAYS) {
    const v = o[key];
    if (v !== undefined && !isStringArray(v)) throw new EventShapeError(`"${key}" must be an array of strings`);
  }
  if (kind === 'exec') {
    if (o.ok === undefined) o.ok = true;
    if (typeof o.ok !== 'boolean') throw new EventShapeError('"ok" must be true or false');
  }
  if (kind === 'container' && (typeof o.id !== 'string' || o.id === '')) throw new EventShapeError('"id" must be a non-empty string');
  if (kind === 'user' && typeof o.name !== 'string') throw new EventShapeError('"name" must be a string');
  if (kind === 'alert') {
    for (const key of ['rule', 'priority', 'output']) {
      if (typeof o[key] !== 'string') throw new EventShapeError(`"${key}" must be a string`);
    }
  }
  return o as unknown as LineageEvent;
}

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'string') return false;
  return true;
}

function toBigInt(key: string, value: unknown, line: string): bigint {
  if (typeof value === 'string') {
    if (!DECIMAL.test(value)) throw new EventShapeError(`"${key}" is not an integer: ${JSON.stringify(value)}`);
    return BigInt(value);
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return BigInt(value);
    const m = new RegExp(`"${key}"\\s*:\\s*(-?\\d+)`).exec(line);
    if (m?.[1]) return BigInt(m[1]);
  }
  throw new EventShapeError(`"${key}" must be ns since the epoch as a decimal string, got ${JSON.stringify(value)}`);
}
