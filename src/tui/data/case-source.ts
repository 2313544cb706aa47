import type BetterSqlite3 from 'better-sqlite3';
import { prepared } from '../../db/statement-cache.js';
import { openCaseTarget } from '../../db/open-case-target.js';
import { isPostgresUrl, redactUrl } from '../../db/postgres/pg-url.js';
import { loadAlertsPage, type AlertFilter } from './alerts-page.js';
import { CASE_COUNTS_LIMIT, CASE_COUNTS_SQL, caseCountsFromRows } from './case-counts.js';
import { loadCaseSummary, loadContainersPage } from './case-overview.js';
import { loadChainSteps } from './chain-steps.js';
import { loadChainMatches } from './chains-page.js';
import { loadEnv, loadExecDetail } from './exec-detail.js';
import { execsWithPid } from './pid-lookup.js';
import { processPage, processPath, processRowById, type ProcessList } from './process-pages.js';
import { createQueryRunner, type QueryRunner } from '../../db/read-query-runner.js';
import { writeScopeReport, type ReportScope, type WrittenReport } from './report-writer.js';
import { containerScope, hostScope, processOfExec, scopeOfProcess } from './scopes.js';
import type {
  AlertRow,
  CaseCounts,
  CaseSummary,
  ChainMatchKey,
  ChainMatchRow,
  ChainStepRow,
  ContainerSummary,
  Cursor,
  ExecDetail,
  Page,
  ProcessRow,
  TableResult,
  TreeScope,
} from './types.js';

/**
 * Everything the TUI reads from a case. Synchronous methods are bounded (paged, indexed,
 * LIMITed) and run on the UI thread; `runQuery` is for unbounded SQL and runs on a worker.
 */
export interface CaseSource {
  summary(): CaseSummary;
  /**
   * Changes when another connection commits to the case (an import finished), cheaply: SQLite's
   * data_version (kept in memory), or on PostgreSQL the newest rows (POSTGRES_CHANGE_SQL).
   */
  dataVersion(): string;
  /** Process and exec counts, on a worker of their own (they scan whole tables). */
  counts(): Promise<CaseCounts>;
  containers(offset: number, limit: number): Page<ContainerSummary>;
  processes(list: ProcessList, cursor: Cursor, limit: number): Page<ProcessRow>;
  processPath(processId: number): ProcessRow[];
  processRow(processId: number): ProcessRow | undefined;
  processOfExec(execId: number): number | null;
  execDetail(execId: number): ExecDetail | undefined;
  env(execId: number): string[];
  alerts(filter: AlertFilter, offset: number, limit: number): Page<AlertRow>;
  /** Chain matches by start time; only when `summary().hasChains`. */
  chainMatches(after: ChainMatchKey | null, limit: number): Page<ChainMatchRow>;
  chainSteps(matchId: number): Page<ChainStepRow>;
  /** Processes that had this pid, in a scope or (null) the whole case. */
  pidMatches(pid: number, scope: TreeScope | null): { execId: number; processId: number }[];
  hostScope(hostId: number): TreeScope;
  containerScope(containerId: string, hostId: number | null): TreeScope;
  scopeOfProcess(row: ProcessRow): TreeScope;
  runQuery(sql: string, params: unknown[], limit: number): Promise<TableResult & { elapsedMs: number }>;
  /** Writes the HTML report of a scope into the working directory. */
  writeReport(scope: ReportScope): WrittenReport;
  cancelQuery(): void;
  close(): Promise<void>;
}

/**
 * What changes when another session commits to a case on PostgreSQL (an import, a rules or
 * chains run that saves): the captures' count and the newest capture, alert and chain match.
 * Each is one index lookup.
 */
const POSTGRES_CHANGE_SQL = `SELECT (SELECT count(*) FROM captures), (SELECT max(capture_id) FROM captures),
  (SELECT max(alert_id) FROM alerts), (SELECT max(chain_match_id) FROM chains)`;

interface CaseSourceOptions {
  /** Where the report key writes (default: the working directory). */
  reportDir?: string;
}

function caseSourceFromDb(
  db: BetterSqlite3.Database,
  dbPath: string,
  runner: QueryRunner,
  background: QueryRunner,
  options: CaseSourceOptions = {},
): CaseSource {
  return {
    summary: () => loadCaseSummary(db, isPostgresUrl(dbPath) ? redactUrl(dbPath) : dbPath),
    dataVersion: () =>
      isPostgresUrl(dbPath)
        ? (prepared(db, POSTGRES_CHANGE_SQL).raw(true).get() as unknown[]).map(String).join(' ')
        : String(db.pragma('data_version', { simple: true })),
    counts: async () => caseCountsFromRows((await background.run(CASE_COUNTS_SQL, [], CASE_COUNTS_LIMIT)).rows),
    containers: (offset, limit) => loadContainersPage(db, offset, limit),
    processes: (list, cursor, limit) => processPage(db, list, cursor, limit),
    processPath: (id) => processPath(db, id),
    processRow: (id) => processRowById(db, id),
    processOfExec: (execId) => processOfExec(db, execId),
    execDetail: (execId) => loadExecDetail(db, execId),
    env: (execId) => loadEnv(db, execId),
    alerts: (filter, offset, limit) => loadAlertsPage(db, filter, offset, limit),
    chainMatches: (after, limit) => loadChainMatches(db, after, limit),
    chainSteps: (matchId) => loadChainSteps(db, matchId),
    pidMatches: (pid, scope) =>
      execsWithPid(db, pid, scope === null ? {} : scope.kind === 'container' ? { containerId: scope.containerId } : { hostId: scope.hostId }),
    hostScope: (hostId) => hostScope(db, hostId),
    containerScope: (containerId, hostId) => containerScope(db, containerId, hostId),
    scopeOfProcess: (row) => scopeOfProcess(db, row),
    runQuery: (sql, params, limit) => runner.run(sql, params, limit),
    writeReport: (scope) => writeScopeReport(db, dbPath, scope, options.reportDir),
    cancelQuery: () => runner.cancel(),
    close: async () => {
      await runner.close();
      await background.close();
      db.close();
    },
  };
}

/**
 * Opens a case read-only for the TUI: one connection for the screen, one worker for the user's
 * long SQL and searches, one for the counts (so neither cancels the other).
 */
export function openCaseSource(dbPath: string, options: CaseSourceOptions = {}): CaseSource {
  const db = openCaseTarget(dbPath);
  return caseSourceFromDb(db, dbPath, createQueryRunner(dbPath), createQueryRunner(dbPath), options);
}
