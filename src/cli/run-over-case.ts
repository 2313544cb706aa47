import type BetterSqlite3 from 'better-sqlite3';
import type { RuleQuery } from '../rules/run/rule-runner.js';
import { filteredExecIds } from './filter-options.js';
import { withCaseAsync } from './read-case.js';
import { runWithRuleTimeout } from './rule-timeout.js';

/** The options `rules run` and `chains run` share (see runOptions, ruleTimeoutOption, timeOptions). */
export interface RunOverCaseOptions {
  db: string;
  since?: bigint;
  until?: bigint;
  filter?: string;
  json?: boolean;
  csv?: boolean;
  timeFormat?: string;
  tz?: string;
  stats?: boolean;
  save: boolean;
  quiet?: boolean;
  ruleTimeout: number;
}

/** The --since/--until bounds a run compiles its queries with. */
export function timeBoundsOf(opts: { since?: bigint; until?: bigint }): { sinceNs?: bigint; untilNs?: bigint } {
  return {
    ...(opts.since !== undefined ? { sinceNs: opts.since } : {}),
    ...(opts.until !== undefined ? { untilNs: opts.until } : {}),
  };
}

/** How a rules or chains run executes its compiled queries, and keeps the hits a --filter allows. */
export interface CaseRun<R> {
  inProcess: (db: BetterSqlite3.Database) => R;
  timed: (db: BetterSqlite3.Database, query: RuleQuery) => Promise<R>;
  within: (result: R, scope: Set<bigint>) => R;
}

/** Opens the case read-only and runs: under --rule-timeout, scoped by --filter. */
export async function runOverCase<R>(opts: RunOverCaseOptions, rulesFiles: string[], run: CaseRun<R>): Promise<R> {
  return withCaseAsync(opts.db, async (db) => {
    const scope = filteredExecIds(db, opts.filter, rulesFiles);
    const result = await runWithRuleTimeout(
      opts.db,
      opts.ruleTimeout,
      () => run.inProcess(db),
      (query) => run.timed(db, query),
    );
    return scope ? run.within(result, scope) : result;
  });
}

/** Per-rule (or per-chain) hits and time as `--stats` prints them on stderr, with a total line. */
export function printRunStats(noun: 'rule' | 'chain', hitsHeading: string, rows: { name: string; priority: string; hits: number; ms: number }[]): void {
  const width = Math.max(noun.length, ...rows.map((r) => r.name.length));
  const hitsWidth = Math.max(6, hitsHeading.length);
  const line = (name: string, priority: string, hits: string, ms: string): void => {
    process.stderr.write(`${name.padEnd(width)}  ${priority.padEnd(13)}  ${hits.padStart(hitsWidth)}  ${ms.padStart(8)}\n`);
  };
  line(noun, 'priority', hitsHeading, 'ms');
  for (const r of rows) line(r.name, r.priority, String(r.hits), r.ms.toFixed(1));
  const total = rows.reduce((s, r) => s + r.ms, 0);
  line('total', '', String(rows.reduce((n, r) => n + r.hits, 0)), total.toFixed(1));
}

/** A rule or chain that failed or timed out, as one JSON line after the hits (`--json`). */
export function failureJson(noun: 'rule' | 'chain', name: string, f: { message: string; timedOutMs?: number }): string {
  return JSON.stringify({
    [noun]: name,
    failed: true,
    error: f.message,
    ...(f.timedOutMs !== undefined ? { timed_out: true, rule_timeout_ms: f.timedOutMs } : {}),
  });
}
