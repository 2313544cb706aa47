/**
 * How finely each format times an exec, in ns: two sources' times for the same exec can differ
 * by the coarser of their precisions (both truncate) plus a little clock skew.
 */
const PRECISION_NS: Record<string, bigint> = {
  audit: 1_000_000n,
  laurel: 1_000_000n,
  sysmon: 1_000_000n,
  strace: 1_000n,
  tetragon: 1n,
  'falco-alerts': 1n,
  scap: 1n,
  jsonl: 1n,
  ps: 1_000_000_000n,
  csv: 1_000_000_000n,
};

/** Allowance for the two sources stamping the exec at slightly different points of execve. */
const SKEW_NS = 1_000_000n;

function precisionNs(format: string): bigint {
  return PRECISION_NS[format] ?? 1_000_000_000n;
}

/** The largest |Δt| at which execs of these two formats are taken as the same exec. */
export function toleranceNs(formatA: string, formatB: string): bigint {
  const a = precisionNs(formatA);
  const b = precisionNs(formatB);
  return (a > b ? a : b) + SKEW_NS;
}
