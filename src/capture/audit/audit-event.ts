/**
 * A record's `key=value` fields. A Map, not an object: adding ~25 properties with keys sliced from
 * the line to a fresh object cost 4 µs per SYSCALL record, a Map 2.3 µs.
 */
export type AuditFields = ReadonlyMap<string, string>;

/** One audit event (the records sharing a timestamp and serial), as the lineage needs it. */
export interface AuditEvent {
  node: string | undefined;
  tsNs: bigint;
  /** Line of the event's first record, for messages and source_line. */
  line: number;
  /** SYSCALL record fields (numbers as audit prints them). */
  syscall: AuditFields | undefined;
  /** Interpreted ENRICHED fields of the SYSCALL record, or laurel's upper-case fields. */
  enriched: AuditFields | undefined;
  /** Exact argv, assembled from the EXECVE record(s). */
  argv: string[] | undefined;
  cwd: string | undefined;
  /** PATH item 0: the file passed to exec (the script, for a `#!` script). */
  path0: string | undefined;
  /** /proc/PID/cmdline split at NUL, at most 128 bytes. */
  proctitle: string[] | undefined;
  /** Parent facts laurel adds (`SYSCALL.PPID`). */
  parentComm?: string;
  parentExe?: string;
  parentPpid?: number;
}
