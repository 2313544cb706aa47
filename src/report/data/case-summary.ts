import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../../db/statement-cache.js';

export interface SourceSummary {
  captureId: number;
  path: string;
  format: string;
  hostname: string | null;
  firstNs: bigint | null;
  lastNs: bigint | null;
  sha256: string;
  sizeBytes: number;
  status: string;
  events: number;
  processes: number;
  execs: number;
  warnings: number;
}

/** Share of a source's images (and processes) that carry each field, from a bounded sample. */
export interface FieldCoverage {
  captureId: number;
  sampled: number;
  fields: { field: string; present: number }[];
}

export interface ContainerRow {
  containerId: string;
  name: string | null;
  image: string | null;
  podName: string | null;
  podNamespace: string | null;
  privileged: boolean | null;
  processes: number;
}

export interface CaseSummary {
  sources: SourceSummary[];
  hosts: { hostname: string; processes: number }[];
  containers: ContainerRow[];
  containerCount: number;
  firstNs: bigint | null;
  lastNs: bigint | null;
  processCount: number;
  execCount: number;
  coverage: FieldCoverage[];
}

/** Rows sampled per source for field coverage: the first images it added. */
export const COVERAGE_SAMPLE = 20_000;
const CONTAINERS_LISTED = 40;

/** Exec columns whose presence tells what a source could see, as `label: SQL test`. */
const EXEC_FIELDS: [string, string][] = [
  ['command line', 'cmdline IS NOT NULL AND cmdline <> name'],
  ['executable path', 'exepath IS NOT NULL'],
  ['working directory', 'cwd IS NOT NULL'],
  ['user', 'uid IS NOT NULL OR user_name IS NOT NULL'],
  ['parent image', 'parent_exec_id IS NOT NULL'],
  ['container', 'container_id IS NOT NULL'],
  ['environment', 'env IS NOT NULL'],
  ['capabilities', 'cap_effective IS NOT NULL'],
  ['tty', 'tty IS NOT NULL'],
];

const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as bigint));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function coverageOf(db: BetterSqlite3.Database, captureId: number): FieldCoverage {
  const sums = EXEC_FIELDS.map(([, test], i) => `sum(CASE WHEN ${test} THEN 1 ELSE 0 END) AS f${i}`).join(', ');
  const e = prepared(db, `SELECT count(*) AS n, ${sums} FROM (SELECT * FROM execs WHERE capture_id = ? AND kind = 'exec' LIMIT ?) AS sample`).get(
    captureId,
    COVERAGE_SAMPLE,
  ) as Record<string, unknown>;
  const p = prepared(
    db,
    `SELECT count(*) AS n, sum(CASE WHEN end_ns IS NOT NULL THEN 1 ELSE 0 END) AS ended,
      sum(CASE WHEN exit_code IS NOT NULL OR exit_signal IS NOT NULL THEN 1 ELSE 0 END) AS status
      FROM (SELECT end_ns, exit_code, exit_signal FROM processes WHERE capture_id = ? LIMIT ?) AS sample`,
  ).get(captureId, COVERAGE_SAMPLE) as Record<string, unknown>;
  const n = Number(e.n);
  const pn = Number(p.n);
  const share = (v: unknown, of: number): number => (of === 0 ? 0 : Number(v ?? 0) / of);
  return {
    captureId,
    sampled: n,
    fields: [
      ...EXEC_FIELDS.map(([label], i) => ({ field: label, present: share(e[`f${i}`], n) })),
      { field: 'process exit', present: share(p.ended, pn) },
      { field: 'exit status', present: share(p.status, pn) },
    ],
  };
}

/**
 * What the case holds: its sources (with hash, span, status), hosts, containers, counts and per
 * source which fields it could fill. Counts come from the per-capture totals the importer
 * recorded, never from count(*) over the big tables.
 */
export function loadCaseSummary(db: BetterSqlite3.Database): CaseSummary {
  const sources = (
    prepared(
      db,
      `SELECT c.capture_id, c.path, c.format, h.hostname, c.first_event_ns, c.last_event_ns, c.sha256, c.size_bytes,
      c.status, c.event_count, c.process_count, c.exec_count, c.warning_count FROM captures c LEFT JOIN hosts h ON h.host_id = c.host_id
      ORDER BY c.capture_id`,
    ).all() as Record<string, unknown>[]
  ).map((r) => ({
    captureId: Number(r.capture_id),
    path: String(r.path),
    format: String(r.format),
    hostname: str(r.hostname),
    firstNs: big(r.first_event_ns),
    lastNs: big(r.last_event_ns),
    sha256: String(r.sha256),
    sizeBytes: Number(r.size_bytes),
    status: String(r.status),
    events: Number(r.event_count),
    processes: Number(r.process_count),
    execs: Number(r.exec_count),
    warnings: Number(r.warning_count),
  }));
  const hosts = (
    prepared(
      db,
      `SELECT h.hostname, (SELECT coalesce(sum(ch.process_count), 0) FROM capture_hosts ch WHERE ch.host_id = h.host_id) AS n
      FROM hosts h ORDER BY h.hostname`,
    ).all() as Record<string, unknown>[]
  ).map((r) => ({ hostname: String(r.hostname), processes: Number(r.n) }));
  const containers = (
    prepared(
      db,
      `SELECT c.container_id, c.name, c.image, c.pod_name, c.pod_namespace, c.privileged,
      COALESCE(p.n, 0) AS n
      FROM containers c
      LEFT JOIN (SELECT container_id, count(*) AS n FROM processes WHERE container_id IS NOT NULL GROUP BY container_id) p
        ON p.container_id = c.container_id
      ORDER BY n DESC, c.pod_namespace NULLS FIRST, c.pod_name NULLS FIRST, c.name NULLS FIRST, c.container_id LIMIT ?`,
    ).all(CONTAINERS_LISTED) as Record<string, unknown>[]
  ).map((r) => ({
    containerId: String(r.container_id),
    name: str(r.name),
    image: str(r.image),
    podName: str(r.pod_name),
    podNamespace: str(r.pod_namespace),
    privileged: r.privileged === null ? null : Number(r.privileged) === 1,
    processes: Number(r.n),
  }));
  const containerCount = Number((prepared(db, 'SELECT count(*) AS n FROM containers').get() as Record<string, unknown>).n);
  let firstNs: bigint | null = null;
  let lastNs: bigint | null = null;
  for (const s of sources) {
    if (s.firstNs !== null && (firstNs === null || s.firstNs < firstNs)) firstNs = s.firstNs;
    if (s.lastNs !== null && (lastNs === null || s.lastNs > lastNs)) lastNs = s.lastNs;
  }
  if (firstNs === null || lastNs === null) {
    // Captures written without their time span (older importers, synthetic cases): the execs say.
    const span = prepared(db, "SELECT min(ts_ns) AS lo, max(ts_ns) AS hi FROM execs WHERE kind = 'exec'").get() as Record<string, unknown>;
    firstNs = big(span.lo);
    lastNs = big(span.hi);
  }
  return {
    sources,
    hosts,
    containers,
    containerCount,
    firstNs,
    lastNs,
    processCount: sources.reduce((n, s) => n + s.processes, 0),
    execCount: sources.reduce((n, s) => n + s.execs, 0),
    coverage: sources.map((s) => coverageOf(db, s.captureId)),
  };
}
