import { InvalidArgumentError, Option } from 'commander';
import { isPostgresUrl } from '../db/postgres/pg-url.js';
import { TimedQueries } from '../db/timed-query.js';
import { durationText, parseDuration } from '../rules/loader/duration.js';
import { visible } from '../util/visible.js';
import type { RuleQuery } from '../rules/run/rule-runner.js';

/** How long one rule's (or chain's) query may run by default before it is stopped. */
const DEFAULT_RULE_TIMEOUT_MS = 5 * 60_000;

function parseRuleTimeout(text: string): number {
  const ns = parseDuration(text);
  if (ns === undefined) throw new InvalidArgumentError('expected a duration such as 90s, 5m, 1h30m, 500ms or a number of seconds (0: no limit)');
  return Number(ns / 1_000_000n);
}

export function ruleTimeoutOption(noun: 'rule' | 'chain'): Option {
  return new Option('--rule-timeout <duration>', `stop a ${noun} whose query runs longer than this and report it as timed out (90s, 5m, 500ms, …; 0: no limit)`)
    .default(DEFAULT_RULE_TIMEOUT_MS, durationText(DEFAULT_RULE_TIMEOUT_MS))
    .argParser(parseRuleTimeout);
}

/**
 * Runs a rules or chains run: with a limit, each query in a child process on the same case file
 * that is killed at the limit (`timed`); with no limit (0), in this process (`inProcess`). On
 * PostgreSQL always in this process, where the server's statement timeout
 * (PEDIGREE_STATEMENT_TIMEOUT_MS) applies and queries run concurrently on several connections.
 */
export async function runWithRuleTimeout<T>(target: string, limitMs: number, inProcess: () => T, timed: (query: RuleQuery) => Promise<T>): Promise<T> {
  if (limitMs === 0 || isPostgresUrl(target)) return inProcess();
  const queries = new TimedQueries(target, limitMs);
  try {
    return await timed((sql, parameters) => queries.run(sql, parameters));
  } finally {
    queries.close();
  }
}

/** `rule 'NAME' failed: …`, or for a query stopped at the limit, what the limit was and how to lift it. */
export function failureText(noun: 'rule' | 'chain', name: string, failure: { message: string; timedOutMs?: number }): string {
  if (failure.timedOutMs !== undefined) {
    const limit = durationText(failure.timedOutMs);
    return `${noun} '${visible(name)}' timed out: its query ran longer than --rule-timeout ${limit} and was stopped (give a longer limit, or 0 for none)`;
  }
  return `${noun} '${visible(name)}' failed: ${visible(failure.message)}`;
}
