import type { ExecRow, ProcessOrigin } from './rows.js';

/**
 * A running process the linker moved out of memory (its table holds at most a set number), or
 * an ended one whose parked children still name it as their parent. Everything the linker needs
 * to bring it back exactly as it was; its parent by key, not by object.
 */
export interface ParkedProcess {
  processId: number;
  host: string;
  pid: number;
  vpid: number | null;
  ppid: number | null;
  parentProcessId: number | null;
  parentPid: number;
  startNs: bigint | null;
  containerId: string | null;
  origin: ProcessOrigin;
  threadCount: number;
  guid: string | null;
  /** The host's table of native ids had it under `guid` (a later process may have taken the id). */
  guidKeyed: boolean;
  /** The image it is running (ran last, for an ended one). */
  current: ExecRow;
  firstExecId: number;
  /** Its fork image (`current`) has no exec id yet: it is written once something refers to it. */
  pendingFork: boolean;
  /** Parked processes or children in memory name it as parent (an ended copy is kept for them). */
  named: boolean;
  /** Its place in its host's table of running processes. */
  seq: number;
}

/**
 * Where parked processes wait. The importer keeps them in a temporary database; the linker only
 * hands them over and takes them back, and stays free of I/O. A `take` removes what it returns.
 */
export interface ParkingStore {
  park(records: ParkedProcess[]): void;
  takeByPid(host: string, pid: number): ParkedProcess | undefined;
  /** Only records parked with `guidKeyed`. */
  takeByGuid(host: string, guid: string): ParkedProcess | undefined;
  takeByProcessId(processId: number): ParkedProcess | undefined;
  /** An ended process, kept (until the end) for the children that name it. */
  keepEnded(record: ParkedProcess): void;
  ended(processId: number): ParkedProcess | undefined;
  /** Every process of `host` still parked, in `seq` order, read once at the end. */
  drain(host: string): Iterable<ParkedProcess>;
  close(): void;
}
