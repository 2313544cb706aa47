import { hostnamesById } from '../../db/hostnames.js';
import type { Db } from '../../db/open.js';
import { runStatementBatch, type BatchOutcome } from '../../db/statement-batch.js';
import { settleInTurn, type TimedOutcome } from '../../db/timed-query.js';
import type { CompiledRule } from '../compile/rule-query.js';
import { durationText } from '../loader/duration.js';
import { compareAlerts, type Alert } from '../output/alert.js';
import { renderOutput } from '../output/render-output.js';

export interface RuleRunStat {
  rule: string;
  priority: string;
  hits: number;
  ms: number;
}

/**
 * A rule whose query SQLite refused, that failed while running, or that ran past the time
 * limit (`timedOutMs` set); the other rules still ran.
 */
export interface RuleFailure {
  rule: string;
  message: string;
  timedOutMs?: number;
}

export interface RuleRun {
  alerts: Alert[];
  stats: RuleRunStat[];
  failures: RuleFailure[];
}

/** Runs one rule's query somewhere (in this process, or in a child that can be stopped). */
export type RuleQuery = (sql: string, parameters: readonly unknown[]) => Promise<TimedOutcome>;

/**
 * Runs compiled rules on a case: one query per rule (concurrently on several connections on
 * PostgreSQL), every hit kept (Falco's `rule_matching: all`), alerts sorted by event time, then
 * event number, then rule order. One rule failing (a statement SQLite refuses, a function that
 * throws) is reported in `failures` and the others still run.
 */
export function runCompiledRules(db: Db, rules: CompiledRule[]): RuleRun {
  const run = new RunState(db);
  const outcomes = runStatementBatch(db, rules);
  rules.forEach((c, i) => {
    const outcome = outcomes[i];
    run.add(c, fromBatch(outcome), process.hrtime.bigint(), outcome?.ms ?? 0);
  });
  return run.result();
}

function fromBatch(outcome: BatchOutcome | undefined): TimedOutcome {
  if (!outcome) return { status: 'error', message: 'not run' };
  return outcome.ok ? { status: 'ok', rows: outcome.rows } : { status: 'error', message: outcome.message };
}

/**
 * As runCompiledRules, with each rule's query run by `query`: with a time limit, a rule that
 * runs past it is reported as timed out and the others still run.
 */
export async function runCompiledRulesWith(db: Db, rules: CompiledRule[], query: RuleQuery): Promise<RuleRun> {
  const run = new RunState(db);
  // The next rule's query runs while this one's alerts are rendered.
  await settleInTurn(rules, query, (c, outcome, started) => run.add(c, outcome, started));
  return run.result();
}

class RunState {
  private readonly hostnames: Map<bigint, string>;
  private readonly alerts: Alert[] = [];
  private readonly stats: RuleRunStat[] = [];
  private readonly failures: RuleFailure[] = [];

  constructor(db: Db) {
    this.hostnames = hostnamesById(db);
  }

  /** `queryMs`: time the query took before `started`, when it ran apart (a batch). */
  add(c: CompiledRule, outcome: TimedOutcome, started: bigint, queryMs = 0): void {
    const rule = c.rule.def.name;
    if (outcome.status === 'timed-out') {
      this.failures.push({ rule, message: `timed out after ${durationText(outcome.limitMs)}`, timedOutMs: outcome.limitMs });
      return;
    }
    if (outcome.status === 'error') {
      this.failures.push({ rule, message: outcome.message });
      return;
    }
    let own: Alert[];
    try {
      own = outcome.rows.map((row) => this.alert(c, row));
    } catch (err) {
      this.failures.push({ rule, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.alerts.push(...own);
    const ms = queryMs + Number(process.hrtime.bigint() - started) / 1e6;
    this.stats.push({ rule, priority: c.rule.def.priority, hits: own.length, ms });
  }

  private alert(c: CompiledRule, row: Record<string, unknown>): Alert {
    const { text, fields } = renderOutput(c.output.parts, c.output.columns, row);
    return {
      rule: c.rule.def.name,
      ruleIndex: c.rule.def.index,
      priority: c.rule.def.priority,
      tags: c.rule.def.tags,
      source: c.rule.def.source,
      execId: row.exec_id as bigint,
      timeNs: (row.ts_ns as bigint | null) ?? 0n,
      evtNum: (row.evt_num as bigint | null) ?? null,
      hostname: this.hostnames.get(row.host_id as bigint) ?? '',
      output: text,
      outputFields: fields,
    };
  }

  result(): RuleRun {
    this.alerts.sort(compareAlerts);
    return { alerts: this.alerts, stats: this.stats, failures: this.failures };
  }
}
