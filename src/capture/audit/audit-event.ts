/**
 * A record's `key=value` fields: a Map when every field is kept (EXECVE), else the few the lineage
 * reads (record-parser.ts). Not an object with the keys sliced from the line as properties: that
 * cost 4 µs per SYSCALL record.
 */
export interface AuditFields extends Iterable<readonly [string, string]> {
  get(key: string): string | undefined;
  /**
   * The field as a safe integer when the source holds it as one (laurel's JSON numbers), without
   * the round trip through its text; undefined to let the caller read get(key).
   */
  integer?(key: string): number | undefined;
}

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
  /** Why the event's records could not be read (an EXECVE's argc), reported at `line`. */
  damaged?: string;
  /** Parent facts laurel adds (`SYSCALL.PPID`). */
  parentComm?: string;
  parentExe?: string;
  parentPpid?: number;
}
