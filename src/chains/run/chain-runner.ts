import { hostnamesById } from '../../db/hostnames.js';
import type { Db } from '../../db/open.js';
import { isPostgresCase, runStatementBatch, type BatchOutcome } from '../../db/statement-batch.js';
import { settleInTurn, type TimedOutcome } from '../../db/timed-query.js';
import { durationText } from '../../rules/loader/duration.js';
import { renderOutput } from '../../rules/output/render-output.js';
import { compileChain, type CompiledChain } from '../compile/chain-query.js';
import { compareMatches, type ChainMatch, type ChainMatchStep } from './chain-match.js';
import { LineagePaths, pathRelation } from './lineage-path.js';

export interface ChainRunStat {
  chain: string;
  priority: string;
  matches: number;
  ms: number;
}

export interface ChainFailure {
  chain: string;
  message: string;
  /** Set when the chain's query ran past the time limit and was stopped. */
  timedOutMs?: number;
}

export interface ChainRun {
  matches: ChainMatch[];
  stats: ChainRunStat[];
  failures: ChainFailure[];
}

/**
 * Runs compiled chains on a case: one query per chain (per chain and host on PostgreSQL) finds
 * the matches (exec ids and times of every step); each match is then rendered from its steps'
 * rows and given its lineage paths. One chain failing (a statement SQLite refuses) is reported;
 * the others still run.
 */
export function runCompiledChains(db: Db, chains: CompiledChain[]): ChainRun {
  const run = new ChainRunState(db);
  const found = findMatches(db, chains);
  chains.forEach((c, i) => {
    const outcome = found[i] as BatchOutcome;
    run.add(c, outcome.ok ? { status: 'ok', rows: outcome.rows } : { status: 'error', message: outcome.message }, process.hrtime.bigint(), outcome.ms);
  });
  return run.result();
}

/**
 * As runCompiledChains on SQLite, with each chain's match query run by `query` (with a time
 * limit, a chain that runs past it is reported as timed out). Paths and output fields are read
 * from `db`; the next chain's query runs while this one's matches are rendered.
 */
export async function runCompiledChainsWith(
  db: Db,
  chains: CompiledChain[],
  query: (sql: string, parameters: readonly unknown[]) => Promise<TimedOutcome>,
): Promise<ChainRun> {
  const run = new ChainRunState(db);
  await settleInTurn(chains, query, (c, outcome, started) => run.add(c, outcome, started));
  return run.result();
}

class ChainRunState {
  private readonly hostnames: Map<bigint, string>;
  private readonly paths: LineagePaths;
  private readonly matches: ChainMatch[] = [];
  private readonly stats: ChainRunStat[] = [];
  private readonly failures: ChainFailure[] = [];

  constructor(private readonly db: Db) {
    this.hostnames = hostnamesById(db);
    this.paths = new LineagePaths(db);
  }

  /** `queryMs`: time the query took before `started`, when it ran apart (a batch). */
  add(c: CompiledChain, outcome: TimedOutcome, started: bigint, queryMs = 0): void {
    const chain = c.chain.def.name;
    if (outcome.status === 'timed-out') {
      this.failures.push({ chain, message: `timed out after ${durationText(outcome.limitMs)}`, timedOutMs: outcome.limitMs });
      return;
    }
    if (outcome.status === 'error') {
      this.failures.push({ chain, message: outcome.message });
      return;
    }
    const own: ChainMatch[] = [];
    const rows = outcome.rows as Record<string, bigint>[];
    try {
      renderMatches(this.db, c, rows, this.hostnames, this.paths, own);
    } catch (err) {
      this.failures.push({ chain, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.matches.push(...own);
    const ms = queryMs + Number(process.hrtime.bigint() - started) / 1e6;
    this.stats.push({ chain, priority: c.chain.def.priority, matches: rows.length, ms });
  }

  result(): ChainRun {
    this.matches.sort(compareMatches);
    return { matches: this.matches, stats: this.stats, failures: this.failures };
  }
}

/**
 * Each chain's match rows (x0, t0, x1, t1, …) ordered by t0, x0. On SQLite one query per chain;
 * on PostgreSQL one query per chain and host, run concurrently, so that on a case distributed
 * by host (Citus) every query, recursive lineage walks included, stays inside one shard. Matches
 * never span hosts (every step is on the first step's host), so the union is the same answer.
 */
function findMatches(db: Db, chains: CompiledChain[]): BatchOutcome[] {
  if (!isPostgresCase(db)) return runStatementBatch(db, chains);
  const hosts = (db.prepare('SELECT host_id FROM hosts ORDER BY host_id').all() as { host_id: bigint }[]).map((h) => h.host_id);
  const perHost = chains.map((c) => hosts.map((hostId) => hostQuery(c, hostId)));
  const outcomes = runStatementBatch(db, perHost.flat());
  let at = 0;
  return perHost.map((queries) => {
    const mine = outcomes.slice(at, at + queries.length);
    at += queries.length;
    const failed = mine.find((o) => !o.ok);
    if (failed) return failed;
    const rows = mine.flatMap((o) => (o.ok ? o.rows : [])) as Record<string, bigint>[];
    rows.sort((a, b) => cmp(a.t0, b.t0) || cmp(a.x0, b.x0));
    return { ok: true, rows, ms: mine.reduce((sum, o) => sum + o.ms, 0) };
  });
}

function hostQuery(c: CompiledChain, hostId: bigint): { sql: string; parameters: unknown[] } {
  const verdict = compileChain(c.chain, { ...c.bounds, hostId });
  if (verdict.status !== 'evaluable') throw new Error(`chain ${c.chain.def.name} does not compile for one host`);
  return verdict.compiled;
}

function cmp(a: bigint | undefined, b: bigint | undefined): number {
  return a === b ? 0 : (a ?? 0n) < (b ?? 0n) ? -1 : 1;
}

function renderMatches(
  db: Db,
  c: CompiledChain,
  rows: Record<string, bigint>[],
  hostnames: Map<bigint, string>,
  paths: LineagePaths,
  matches: ChainMatch[],
): void {
  const fieldQueries = c.output.queries.map((q) => ({ ...q, stmt: db.prepare(q.sql) }));
  for (const row of rows) {
    const execIds = c.chain.steps.map((_s, i) => row[`x${i}`] as bigint);
    const times = c.chain.steps.map((_s, i) => row[`t${i}`] as bigint);
    const steps: ChainMatchStep[] = c.chain.steps.map((s, i) => {
      const exec = paths.exec(execIds[i]!);
      const link = i === 0 ? null : pathRelation(s.def.relations);
      return {
        index: i,
        name: s.def.name,
        execId: execIds[i]!,
        tsNs: times[i]!,
        pid: exec?.pid ?? null,
        procName: exec?.name ?? null,
        cmdline: exec?.cmdline ?? null,
        linkedStep: link?.step ?? null,
        relation: link?.kind ?? null,
        path: link ? paths.path(execIds[link.step]!, execIds[i]!, link.kind) : paths.fromParent(execIds[i]!),
      };
    });
    const merged: Record<string, unknown> = {};
    for (const q of fieldQueries) Object.assign(merged, q.stmt.get(...q.parameters, execIds[q.step]));
    const { text, fields } = renderOutput(c.output.parts, c.output.columns, merged);
    const where = paths.exec(execIds[0]!)!;
    matches.push({
      chain: c.chain.def.name,
      chainIndex: c.chain.def.index,
      priority: c.chain.def.priority,
      tags: c.chain.def.tags,
      hostId: where.host_id,
      hostname: hostnames.get(where.host_id) ?? '',
      containerId: where.container_id,
      startNs: times[0]!,
      endNs: times[times.length - 1]!,
      output: text,
      outputFields: fields,
      steps,
    });
  }
}
