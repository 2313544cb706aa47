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

/**
 * Turns one parsed JSON object into a typed event, checking what the linker relies on.
 * `line` is the raw text, used to recover exact digits of numeric timestamps.
 */
export function eventFromJson(obj: unknown, line: string, defaultHost: string | undefined): LineageEvent {
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
    if (!/^-?\d+$/.test(value)) throw new EventShapeError(`"${key}" is not an integer: ${JSON.stringify(value)}`);
    return BigInt(value);
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (Number.isSafeInteger(value)) return BigInt(value);
    const m = new RegExp(`"${key}"\\s*:\\s*(-?\\d+)`).exec(line);
    if (m?.[1]) return BigInt(m[1]);
  }
  throw new EventShapeError(`"${key}" must be ns since the epoch as a decimal string, got ${JSON.stringify(value)}`);
}
