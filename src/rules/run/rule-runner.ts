import { hostnamesById } from '../../db/hostnames.js';
import type { Db } from '../../db/open.js';
import { runStatementBatch } from '../../db/statement-batch.js';
import type { CompiledRule } from '../compile/rule-query.js';
import { compareAlerts, type Alert } from '../output/alert.js';
import { renderOutput } from '../output/render-output.js';

export interface RuleRunStat {
  rule: string;
  priority: string;
  hits: number;
  ms: number;
}

/** A rule whose query SQLite refused or that failed while running; the other rules still ran. */
export interface RuleFailure {
  rule: string;
  message: string;
}

/**
 * Runs compiled rules on a case: one query per rule (concurrently on several connections on
 * PostgreSQL), every hit kept (Falco's
 * `rule_matching: all`), alerts sorted by event time, then event number, then rule order.
 * One rule failing (a statement SQLite refuses, a function that throws) is reported in
 * `failures` and the others still run.
 */
export function runCompiledRules(db: Db, rules: CompiledRule[]): { alerts: Alert[]; stats: RuleRunStat[]; failures: RuleFailure[] } {
  const hostnames = hostnamesById(db);
  const alerts: Alert[] = [];
  const stats: RuleRunStat[] = [];
  const failures: RuleFailure[] = [];
  const outcomes = runStatementBatch(db, rules);
  rules.forEach((c, i) => {
    const outcome = outcomes[i];
    if (!outcome?.ok) {
      failures.push({ rule: c.rule.def.name, message: outcome?.message ?? 'not run' });
      return;
    }
    const started = process.hrtime.bigint();
    const own: Alert[] = [];
    try {
      for (const row of outcome.rows) {
        const { text, fields } = renderOutput(c.output.parts, c.output.columns, row);
        own.push({
          rule: c.rule.def.name,
          ruleIndex: c.rule.def.index,
          priority: c.rule.def.priority,
          tags: c.rule.def.tags,
          source: c.rule.def.source,
          execId: row.exec_id as bigint,
          timeNs: (row.ts_ns as bigint | null) ?? 0n,
          evtNum: (row.evt_num as bigint | null) ?? null,
          hostname: hostnames.get(row.host_id as bigint) ?? '',
          output: text,
          outputFields: fields,
        });
      }
    } catch (err) {
      failures.push({ rule: c.rule.def.name, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    alerts.push(...own);
    const ms = outcome.ms + Number(process.hrtime.bigint() - started) / 1e6;
    stats.push({ rule: c.rule.def.name, priority: c.rule.def.priority, hits: own.length, ms });
  });
  alerts.sort(compareAlerts);
  return { alerts, stats, failures };
}
