import type { ExecEvent } from '../events/lineage-event.js';
import type { ExecRow, ProcessOrigin, ProcessRow } from './rows.js';

/** A process the case already holds (from earlier captures), as the linker resumes it. */
export interface KnownProcess {
  processId: number;
  pid: number;
  vpid: number | null;
  ppid: number | null;
  startNs: bigint | null;
  endNs: bigint | null;
  containerId: string | null;
  origin: ProcessOrigin;
  /** Its image current at the time asked about; null when none began by then. */
  image: ExecRow | null;
  /** The image its parent process was running at that time, when the case knows it. */
  parentExecId: number | null;
  parentProcessId: number | null;
}

/**
 * What the case already knows, asked by (host, pid, time). The importer answers from the
 * database, counting only earlier captures; the linker itself stays free of SQL.
 */
export interface CaseState {
  /**
   * The process with this pid alive at `ts` (started by then, not ended before it), the
   * latest-started if several; with `startTs`, only one that started then. `fork` asks for the
   * process created by this very fork: one whose start time is `ts`.
   */
  processAt(host: string, pid: number, ts: bigint, how: { startTs?: bigint; fork?: boolean }): KnownProcess | undefined;
  /** The image process `processId` was running at `ts`, and the id of its next image if any. */
  imageAt(processId: number, ts: bigint): { image: ExecRow | null; nextExecId: number | null };
  /** An exec of that process already in the case that is the same exec as `ev`. */
  sameExec(processId: number, ev: ExecEvent): ExecRow | undefined;
}

/** What the linker writes back to rows that earlier captures wrote. */
export interface CaseSink {
  /** A resumed process: fill what the case lacks (end, exit status, vpid, …), recompute its first/last image. */
  resumedProcess(row: ProcessRow): void;
  /** This capture saw exec `execId` too: record it as a source, fill the row's missing columns. */
  execSeenAgain(execId: number, image: ExecRow, ev: ExecEvent): void;
  /**
   * An earlier capture's fork image that the exec about to be written replaces (nothing refers
   * to it): dropped, as a child that execs straight away gets no fork image. False if kept.
   */
  dropForkImage(execId: number): boolean;
  /** A new image fits before image `execId` of the same process. */
  relinkPrev(execId: number, prevExecId: number): void;
  /**
   * A process an earlier capture had as a root (no parent, or only a placeholder of that pid)
   * whose creator this capture saw: it becomes that parent's child. With `forkTs` the fork
   * itself was seen: the process is no longer inferred, and its placeholder first image becomes
   * its fork image, or goes when only its own exec referred to it. False when the case already
   * had an observed parent, which is kept.
   */
  adopt(processId: number, parent: { processId: number; pid: number; execId: () => number }, forkTs: bigint | null): boolean;
}
