import type { ExecRow, ProcessRow } from '../linker/rows.js';
import {
  DERIVED_HAS_EXTRAS,
  EXEC_CONTAINER_CELL,
  EXEC_DERIVED_CELL,
  EXEC_ROW_WIDTH,
  EXEC_HOST_CELL,
  EXEC_ROW_COLUMNS,
  EXEC_STRING_CELLS,
  EXEC_EXTRA_COLUMNS,
  EXEC_WIDTH,
  PROCESS_COLUMNS,
  PROCESS_HOST_CELL,
  PROCESS_WIDTH,
  putExecCells,
  putProcessCells,
  type Cell,
} from './row-cells.js';

/**
 * Rows crossing from the import worker to the importing thread in a compact form: every cell is
 * one float64 of a transferable buffer (moved, not copied), so the importing thread does not pay
 * for structured-cloning ~200k cells per batch (which cost more than parsing in parallel saved).
 *
 * A cell holds, by its column's kind: an integer (NaN for NULL); the index of a bigint in `bigs`;
 * the index of a text in `text` (cut at `textEnds`); the worker's number for a string stored in
 * `strings` (each distinct one crosses once, in `newStrings`); the worker's number for a host
 * name (likewise, `newHosts`). The importing thread maps the numbers to case ids once per string.
 */
export interface PackedRows {
  execs: number;
  procs: number;
  execCells: Float64Array;
  procCells: Float64Array;
  bigs: BigInt64Array;
  text: string;
  textEnds: Uint32Array;
  /** The worker forgot its string numbers before this batch: numbering starts again at 0. */
  stringsReset: boolean;
  newStrings: string[];
  newHosts: string[];
  /** Container ids exec rows named for the first time. */
  newContainers: string[];
}

const INT = 0;
const BIG = 1;
const TEXT = 2;
const STRING = 3;
const HOST = 4;

const EXEC_TEXT = new Set<string>(['name', 'args', 'arg_lengths', 'cmdline', 'attempt_exe', 'argv_json']);

function execKinds(): Uint8Array {
  const kinds = new Uint8Array(EXEC_WIDTH);
  const columns = [...EXEC_ROW_COLUMNS, ...EXEC_EXTRA_COLUMNS] as string[];
  columns.forEach((c, k) => {
    if (EXEC_TEXT.has(c)) kinds[k] = TEXT;
    else if (c === 'ts_ns') kinds[k] = BIG;
  });
  for (const k of EXEC_STRING_CELLS) kinds[k] = STRING;
  kinds[EXEC_HOST_CELL] = HOST;
  return kinds;
}

function processKinds(): Uint8Array {
  const kinds = new Uint8Array(PROCESS_WIDTH);
  (PROCESS_COLUMNS as readonly string[]).forEach((c, k) => {
    if (c === 'start_ns' || c === 'end_ns') kinds[k] = BIG;
    else if (c === 'container_id' || c === 'origin') kinds[k] = TEXT;
  });
  kinds[PROCESS_HOST_CELL] = HOST;
  return kinds;
}

const EXEC_KINDS = execKinds();
const PROCESS_KINDS = processKinds();

/** Which cells of a range are integers and which are not, for PackedRowsBuilder.put. */
interface CellPlan {
  kinds: Uint8Array;
  ints: number[];
  others: number[];
}

function plan(kinds: Uint8Array, first: number, end: number): CellPlan {
  const ints: number[] = [];
  const others: number[] = [];
  for (let k = first; k < end; k++) (kinds[k] === INT ? ints : others).push(k);
  return { kinds, ints, others };
}

const EXEC_ROW_PLAN = plan(EXEC_KINDS, 0, EXEC_ROW_WIDTH);
const EXEC_EXTRA_PLAN = plan(EXEC_KINDS, EXEC_ROW_WIDTH, EXEC_WIDTH);
const PROCESS_PLAN = plan(PROCESS_KINDS, 0, PROCESS_WIDTH);

/** Distinct strings the worker remembers; past this it forgets them (RSS stays flat). */
const MAX_REMEMBERED_CHARS = 8 * 1024 * 1024;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Collects rows in the packed form (import worker side). */
export class PackedRowsBuilder {
  private execCells = new Float64Array(4096 * EXEC_WIDTH);
  private procCells = new Float64Array(4096 * PROCESS_WIDTH);
  private bigs = new BigInt64Array(8192);
  private textEnds = new Uint32Array(16384);
  private texts: string[] = [];
  private textLength = 0;
  private bigCount = 0;
  private readonly scratch: Cell[] = new Array<Cell>(EXEC_WIDTH).fill(null);
  private readonly stringNumbers = new Map<string, number>();
  private rememberedChars = 0;
  private stringsReset = false;
  private newStrings: string[] = [];
  private readonly lastString: (string | undefined)[] = new Array<string | undefined>(EXEC_WIDTH).fill(undefined);
  private readonly lastNumber: number[] = new Array<number>(EXEC_WIDTH).fill(0);
  private readonly hostNumbers = new Map<string, number>();
  private lastHost: string | undefined;
  private lastHostNumber = 0;
  private newHosts: string[] = [];
  private readonly containersSent = new Set<string>();
  private newContainers: string[] = [];
  execs = 0;
  procs = 0;

  /** `maxRememberedChars`: how much distinct string text is remembered before it is forgotten. */
  constructor(private readonly maxRememberedChars = MAX_REMEMBERED_CHARS) {}

  exec(r: ExecRow): void {
    putExecCells(r, this.scratch, 0);
    const container = this.scratch[EXEC_CONTAINER_CELL];
    if (typeof container === 'string' && !this.containersSent.has(container)) {
      this.containersSent.add(container);
      this.newContainers.push(container);
    }
    if ((this.execs + 1) * EXEC_WIDTH > this.execCells.length) this.execCells = grown(this.execCells);
    const at = this.execs++ * EXEC_WIDTH;
    this.put(this.scratch, EXEC_ROW_PLAN, this.execCells, at);
    // The reader looks at the exec_extras cells only of an exec that has them.
    if (((this.scratch[EXEC_DERIVED_CELL] as number) & DERIVED_HAS_EXTRAS) !== 0) this.put(this.scratch, EXEC_EXTRA_PLAN, this.execCells, at);
  }

  process(r: ProcessRow): void {
    putProcessCells(r, this.scratch, 0);
    if ((this.procs + 1) * PROCESS_WIDTH > this.procCells.length) this.procCells = grown(this.procCells);
    this.put(this.scratch, PROCESS_PLAN, this.procCells, this.procs++ * PROCESS_WIDTH);
  }

  /** The rows collected since the last take, and the buffers to transfer with them. */
  take(): { rows: PackedRows; transfer: ArrayBuffer[] } {
    const rows: PackedRows = {
      execs: this.execs,
      procs: this.procs,
      execCells: this.execCells.slice(0, this.execs * EXEC_WIDTH),
      procCells: this.procCells.slice(0, this.procs * PROCESS_WIDTH),
      bigs: this.bigs.slice(0, this.bigCount),
      text: this.texts.join(''),
      textEnds: this.textEnds.slice(0, this.texts.length),
      stringsReset: this.stringsReset,
      newStrings: this.newStrings,
      newHosts: this.newHosts,
      newContainers: this.newContainers,
    };
    this.execs = 0;
    this.procs = 0;
    this.bigCount = 0;
    this.texts = [];
    this.textLength = 0;
    this.newStrings = [];
    this.newHosts = [];
    this.newContainers = [];
    this.stringsReset = false;
    if (this.rememberedChars > this.maxRememberedChars) {
      this.stringNumbers.clear();
      this.lastString.fill(undefined);
      this.rememberedChars = 0;
      this.stringsReset = true;
    }
    const transfer = [rows.execCells.buffer, rows.procCells.buffer, rows.bigs.buffer, rows.textEnds.buffer] as ArrayBuffer[];
    return { rows, transfer };
  }

  /** A row's cells as `plan` lists them: integer cells in one tight loop, the others by kind. */
  private put(cells: Cell[], plan: CellPlan, out: Float64Array, at: number): void {
    const ints = plan.ints;
    for (let j = 0; j < ints.length; j++) {
      const k = ints[j] as number;
      const v = cells[k];
      if (typeof v === 'number') out[at + k] = v;
      else if (v === null || v === undefined) out[at + k] = Number.NaN;
      else throw new TypeError(`cell ${k} holds a ${typeof v} where a number belongs`);
    }
    const others = plan.others;
    for (let j = 0; j < others.length; j++) {
      const k = others[j] as number;
      const v = cells[k];
      if (v === null || v === undefined) {
        out[at + k] = Number.NaN;
        continue;
      }
      switch (plan.kinds[k]) {
        case BIG:
          out[at + k] = this.big(v);
          break;
        case TEXT:
          out[at + k] = this.text(String(v));
          break;
        case STRING:
          // Rows in a run often repeat a column's string (cwd, event type): compared before hashed.
          if (v === this.lastString[k]) out[at + k] = this.lastNumber[k] as number;
          else {
            const n = this.stringNumber(String(v));
            this.lastString[k] = v as string;
            this.lastNumber[k] = n;
            out[at + k] = n;
          }
          break;
        case HOST:
          out[at + k] = v === this.lastHost ? this.lastHostNumber : this.hostNumber(String(v));
          break;
      }
    }
  }

  private big(v: Cell): number {
    const b = typeof v === 'bigint' ? v : BigInt(v as number);
    // What binding it would say: a BigInt64Array would wrap it silently.
    if (b < INT64_MIN || b > INT64_MAX) throw new RangeError('The bound string, buffer, or bigint is too big');
    if (this.bigCount === this.bigs.length) this.bigs = grown(this.bigs);
    this.bigs[this.bigCount] = b;
    return this.bigCount++;
  }

  private text(s: string): number {
    const n = this.texts.length;
    if (n === this.textEnds.length) this.textEnds = grown(this.textEnds);
    this.texts.push(s);
    this.textLength += s.length;
    this.textEnds[n] = this.textLength;
    return n;
  }

  private stringNumber(s: string): number {
    let n = this.stringNumbers.get(s);
    if (n === undefined) {
      n = this.stringNumbers.size;
      this.stringNumbers.set(s, n);
      this.newStrings.push(s);
      this.rememberedChars += s.length;
    }
    return n;
  }

  private hostNumber(s: string): number {
    let n = this.hostNumbers.get(s);
    if (n === undefined) {
      n = this.hostNumbers.size;
      this.hostNumbers.set(s, n);
      this.newHosts.push(s);
    }
    this.lastHost = s;
    this.lastHostNumber = n;
    return n;
  }
}

function grown<T extends Float64Array | BigInt64Array | Uint32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a as never);
  return b;
}

/** Where the importing thread writes unpacked rows: host and string cells arrive as case ids. */
export interface ResolvedRowSink {
  hostId(name: string): number;
  stringId(value: string): number;
  /** The worker numbers its strings from 0 again (ids handed out so far are no longer asked for). */
  forgetStrings?(): void;
  containerIds: Set<string>;
  execResolved(cells: Cell[]): void;
  processResolved(cells: Cell[]): void;
}

/** Turns packed rows back into cells (importing thread side), keeping the worker's numbering. */
export class PackedRowsReader {
  private readonly stringIds: number[] = [];
  private readonly hostIds: number[] = [];
  private readonly cells: Cell[] = new Array<Cell>(EXEC_WIDTH).fill(null);

  constructor(private readonly sink: ResolvedRowSink) {}

  write(rows: PackedRows): void {
    if (rows.stringsReset) {
      this.stringIds.length = 0;
      this.sink.forgetStrings?.();
    }
    for (const s of rows.newStrings) this.stringIds.push(this.sink.stringId(s));
    for (const h of rows.newHosts) this.hostIds.push(this.sink.hostId(h));
    for (const c of rows.newContainers) this.sink.containerIds.add(c);
    for (let r = 0; r < rows.execs; r++) {
      this.unpack(rows, rows.execCells, r * EXEC_WIDTH, EXEC_KINDS, 0, EXEC_ROW_WIDTH);
      // The writer reads the exec_extras cells only of an exec that has them.
      if (((this.cells[EXEC_DERIVED_CELL] as number) & DERIVED_HAS_EXTRAS) !== 0) {
        this.unpack(rows, rows.execCells, r * EXEC_WIDTH, EXEC_KINDS, EXEC_ROW_WIDTH, EXEC_WIDTH);
      }
      this.sink.execResolved(this.cells);
    }
    for (let r = 0; r < rows.procs; r++) {
      this.unpack(rows, rows.procCells, r * PROCESS_WIDTH, PROCESS_KINDS, 0, PROCESS_WIDTH);
      this.sink.processResolved(this.cells);
    }
  }

  private unpack(rows: PackedRows, from: Float64Array, at: number, kinds: Uint8Array, first: number, end: number): void {
    const out = this.cells;
    for (let k = first; k < end; k++) {
      const v = from[at + k] as number;
      if (Number.isNaN(v)) {
        out[k] = null;
        continue;
      }
      switch (kinds[k]) {
        case INT:
          out[k] = v;
          break;
        case BIG:
          out[k] = rows.bigs[v] as bigint;
          break;
        case TEXT:
          out[k] = rows.text.slice(v === 0 ? 0 : rows.textEnds[v - 1], rows.textEnds[v]);
          break;
        case STRING:
          out[k] = this.stringIds[v] as number;
          break;
        case HOST:
          out[k] = this.hostIds[v] as number;
          break;
      }
    }
  }
}
