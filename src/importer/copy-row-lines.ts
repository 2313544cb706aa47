import { copyTextValue } from '../db/postgres/copy-text.js';
import { EXEC_CONTEXT_COLUMNS, IMAGE_COLUMNS } from './image-columns.js';
import {
  DERIVED_ARGS,
  DERIVED_ARGV_IN_EXTRAS,
  DERIVED_HAS_EXTRAS,
  DERIVED_TID,
  EXEC_DERIVED_CELL,
  EXEC_EXTRA_COLUMNS,
  EXEC_ROW_COLUMNS,
  PROCESS_COLUMNS,
  type Cell,
} from './row-cells.js';

/** Where an import's ids land in the target case. */
export interface TargetIds {
  /** Added to the import's process and exec ids (which count from 1). */
  processOffset: number;
  execOffset: number;
  /** The largest process and exec ids of the import the offsets cover (blocks reserved in the target). */
  maxProcessId: number;
  maxExecId: number;
  /** The capture's id in the target. */
  captureId: number;
  /** A host id of the importing case as the target's id. */
  hostId(id: number): number;
}

/** An import handed out more ids than the target reserved for it. */
export class IdBlockExceeded extends Error {
  constructor(kind: string, id: number) {
    super(`the import handed out ${kind} id ${id}, beyond the block reserved for it`);
    this.name = 'IdBlockExceeded';
  }
}

/** The columns of execs and processes as the lines below give them (the execs view's columns). */
export const EXEC_COPY_COLUMNS = [
  'exec_id',
  'process_id',
  'capture_id',
  'host_id',
  'kind',
  'parent_exec_id',
  'prev_exec_id',
  'ts_ns',
  'pid',
  'tid',
  'vpid',
  'ppid',
  ...IMAGE_COLUMNS,
  ...EXEC_CONTEXT_COLUMNS,
  'res',
  'attempt_exe',
  'evt_num',
  'evt_type',
  'source_line',
  'source_offset',
];

export const PROCESS_COPY_COLUMNS = PROCESS_COLUMNS;

const row = (c: (typeof EXEC_ROW_COLUMNS)[number]): number => EXEC_ROW_COLUMNS.indexOf(c);
const extra = (c: (typeof EXEC_EXTRA_COLUMNS)[number]): number => EXEC_ROW_COLUMNS.length + EXEC_EXTRA_COLUMNS.indexOf(c);

const R_ARG_LENGTHS = row('arg_lengths');
const R_ARGS = row('args');
const R_CGROUPS_ID = row('cgroups_id');
const R_CMDLINE = row('cmdline');
const R_CONTAINER_SID = row('container_sid');
const R_CWD_ID = row('cwd_id');
const R_ENV_ID = row('env_id');
const R_EVT_NUM = row('evt_num');
const R_EVT_TYPE_ID = row('evt_type_id');
const R_EXE_ID = row('exe_id');
const R_EXEPATH_ID = row('exepath_id');
const R_GID = row('gid');
const R_HOST_ID = row('host_id');
const R_KIND = row('kind');
const R_NAME = row('name');
const R_PARENT_EXEC_ID = row('parent_exec_id');
const R_PID = row('pid');
const R_PPID = row('ppid');
const R_PREV_EXEC_ID = row('prev_exec_id');
const R_PROCESS_ID = row('process_id');
const R_RES = row('res');
const R_SOURCE_LINE = row('source_line');
const R_SOURCE_OFFSET = row('source_offset');
const R_TID = row('tid');
const R_TS_NS = row('ts_ns');
const R_UID = row('uid');
const R_USER_NAME_ID = row('user_name_id');
const R_VPID = row('vpid');
const X_ARGV_JSON = extra('argv_json');
const X_ATTEMPT_EXE = extra('attempt_exe');
const X_CAP_EFFECTIVE_ID = extra('cap_effective_id');
const X_CAP_INHERITABLE_ID = extra('cap_inheritable_id');
const X_CAP_PERMITTED_ID = extra('cap_permitted_id');
const X_EUID = extra('euid');
const X_EXE_FROM_MEMFD = extra('exe_from_memfd');
const X_EXE_LOWER_LAYER = extra('exe_lower_layer');
const X_EXE_UPPER_LAYER = extra('exe_upper_layer');
const X_EXE_WRITABLE = extra('exe_writable');
const X_LOGINUID = extra('loginuid');
const X_PGID = extra('pgid');
const X_SID = extra('sid');
const X_TTY = extra('tty');
const X_VPGID = extra('vpgid');

const KIND_TEXT = ['exec', 'fork', 'snapshot', 'inferred'];
const NULL = '\\N';
const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const SURROGATE = /[\ud800-\udfff]/;
/** Encoded NUL-joined lists remembered (environments repeat from exec to exec). */
const MAX_REMEMBERED_BYTEA = 4096;

const text = (v: Cell): string => (v === null ? NULL : typeof v === 'string' && !NEEDS_ESCAPE.test(v) ? v : copyTextValue(v, false));
const int = (v: Cell): string => (v === null ? NULL : String(v));

/** What JSON.stringify would escape in a string (quotes, backslashes, control characters). */
const JSON_ESCAPED = /["\\\u0000-\u001f]/;

/** The JSON text of one argument as SQLite's json_group_array (and JSON.stringify) write it. */
const jsonString = (s: string): string => (JSON_ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`);

/**
 * The cuts of argv out of args as the execs view makes them (schema/006): `lengths` (a JSON
 * list of integers) in code points, one space between arguments.
 */
function argvJson(args: string | null, lengths: string): string | null {
  if (args === null) return null;
  const points = SURROGATE.test(args) ? Array.from(args) : null;
  let json = '[';
  let at = 0;
  let n = 0;
  let first = true;
  for (let i = 1; i < lengths.length; i++) {
    const ch = lengths.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      continue;
    }
    if (ch !== 44 && ch !== 93) continue; // ',' or ']' ends a length
    if (i === 1 && ch === 93) break; // []
    const part = points === null ? args.slice(at, at + n) : points.slice(at, at + n).join('');
    json += (first ? '' : ',') + jsonString(part);
    first = false;
    at += n + 1;
    n = 0;
  }
  return `${json}]`;
}

/**
 * Turns the importer's exec and process cells (row-target.ts) into lines of PostgreSQL COPY text
 * with the values the case's execs view and processes table give (the `derived` columns undone,
 * argv cut back out of args), ids moved into the blocks the target reserved.
 */
export class CopyRowLines {
  private readonly hosts = new Map<number, string>();
  private readonly bytea = new Map<string, string>();
  private readonly capture: string;
  /** The largest of the import's own process and exec ids written (how much of each block it used). */
  largestProcessId = 0;
  largestExecId = 0;

  constructor(private readonly ids: TargetIds) {
    this.capture = String(ids.captureId);
  }

  /** A host id of the importing case as the target's. */
  hostIdOf(id: number): number {
    return this.ids.hostId(id);
  }

  private host(v: Cell): string {
    const id = v as number;
    let t = this.hosts.get(id);
    if (t === undefined) {
      t = String(this.ids.hostId(id));
      this.hosts.set(id, t);
    }
    return t;
  }

  private exec(v: Cell): string {
    if (v === null) return NULL;
    if ((v as number) > this.ids.maxExecId) throw new IdBlockExceeded('exec', v as number);
    return String((v as number) + this.ids.execOffset);
  }

  private process(v: Cell): string {
    if (v === null) return NULL;
    if ((v as number) > this.ids.maxProcessId) throw new IdBlockExceeded('process', v as number);
    return String((v as number) + this.ids.processOffset);
  }

  private nulJoined(v: Cell): string {
    if (v === null) return NULL;
    const s = v as string;
    let t = this.bytea.get(s);
    if (t === undefined) {
      t = copyTextValue(s, true);
      if (this.bytea.size === MAX_REMEMBERED_BYTEA) this.bytea.clear();
      this.bytea.set(s, t);
    }
    return t;
  }

  /** One exec's line (EXEC_COPY_COLUMNS), its newline included. */
  execLine(c: readonly Cell[]): string {
    if ((c[0] as number) > this.largestExecId) this.largestExecId = c[0] as number;
    const derived = c[EXEC_DERIVED_CELL] as number;
    const x = (k: number): Cell => ((derived & DERIVED_HAS_EXTRAS) !== 0 ? (c[k] as Cell) : null);
    const pid = c[R_PID] as Cell;
    const name = c[R_NAME] as string | null;
    const cmdline = c[R_CMDLINE] as string | null;
    const args = (derived & DERIVED_ARGS) !== 0 ? (cmdline as string).slice((name as string).length + 1) : (c[R_ARGS] as string | null);
    const lengths = c[R_ARG_LENGTHS] as string | null;
    const argv = lengths !== null ? argvJson(args, lengths) : (derived & DERIVED_ARGV_IN_EXTRAS) !== 0 ? (x(X_ARGV_JSON) as string | null) : null;
    const kind = KIND_TEXT[c[R_KIND] as number];
    return (
      `${this.exec(c[0] as Cell)}\t${this.process(c[R_PROCESS_ID] as Cell)}\t${this.capture}\t${this.host(c[R_HOST_ID] as Cell)}` +
      `\t${kind === undefined ? NULL : kind}\t${this.exec(c[R_PARENT_EXEC_ID] as Cell)}\t${this.exec(c[R_PREV_EXEC_ID] as Cell)}` +
      `\t${int(c[R_TS_NS] as Cell)}\t${int(pid)}\t${int((derived & DERIVED_TID) !== 0 ? pid : (c[R_TID] as Cell))}` +
      `\t${int(c[R_VPID] as Cell)}\t${int(c[R_PPID] as Cell)}\t${text(name)}\t${text(c[R_EXE_ID] as Cell)}` +
      `\t${text(c[R_EXEPATH_ID] as Cell)}\t${text(args)}\t${text(argv)}\t${text(cmdline)}\t${text(c[R_CWD_ID] as Cell)}` +
      `\t${int(c[R_UID] as Cell)}\t${int(c[R_GID] as Cell)}\t${int(x(X_EUID))}\t${int(x(X_LOGINUID))}` +
      `\t${text(c[R_USER_NAME_ID] as Cell)}\t${int(x(X_TTY))}\t${int(x(X_SID))}\t${int(x(X_PGID))}` +
      `\t${int(x(X_VPGID))}\t${this.nulJoined(c[R_ENV_ID] as Cell)}\t${this.nulJoined(c[R_CGROUPS_ID] as Cell)}` +
      `\t${text(c[R_CONTAINER_SID] as Cell)}\t${int(x(X_EXE_WRITABLE))}\t${int(x(X_EXE_UPPER_LAYER))}` +
      `\t${int(x(X_EXE_LOWER_LAYER))}\t${int(x(X_EXE_FROM_MEMFD))}\t${text(x(X_CAP_PERMITTED_ID))}` +
      `\t${text(x(X_CAP_EFFECTIVE_ID))}\t${text(x(X_CAP_INHERITABLE_ID))}\t${int(c[R_RES] as Cell)}` +
      `\t${text(x(X_ATTEMPT_EXE))}\t${int(c[R_EVT_NUM] as Cell)}\t${text(c[R_EVT_TYPE_ID] as Cell)}` +
      `\t${int(c[R_SOURCE_LINE] as Cell)}\t${int(c[R_SOURCE_OFFSET] as Cell)}\n`
    );
  }

  /** One process's line (PROCESS_COPY_COLUMNS), its newline included. */
  processLine(c: readonly Cell[]): string {
    if ((c[0] as number) > this.largestProcessId) this.largestProcessId = c[0] as number;
    return (
      `${this.process(c[0] as Cell)}\t${this.capture}\t${this.host(c[2] as Cell)}\t${int(c[3] as Cell)}\t${int(c[4] as Cell)}` +
      `\t${int(c[5] as Cell)}\t${this.process(c[6] as Cell)}\t${int(c[7] as Cell)}\t${int(c[8] as Cell)}\t${int(c[9] as Cell)}` +
      `\t${int(c[10] as Cell)}\t${int(c[11] as Cell)}\t${text(c[12] as Cell)}\t${text(c[13] as Cell)}\t${int(c[14] as Cell)}` +
      `\t${this.exec(c[15] as Cell)}\t${this.exec(c[16] as Cell)}\n`
    );
  }
}
