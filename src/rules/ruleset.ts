import type { LoadedRule, LoadedRuleset } from './loader/load-rules.js';
import { compileRule, type CompiledRule, type RuleQueryOptions, type RuleVerdict } from './compile/rule-query.js';
import { atLeast, type Priority } from './priority.js';
import { PedigreeError } from '../util/errors.js';
import { sqliteSizeRefusal } from '../db/sql-acceptance.js';

/** Which loaded rules a command works on. */
export interface RuleSelection {
  /** Rule names; when given, exactly these rules (enabled or not). */
  names?: string[];
  /** Only rules at least this severe. */
  minPriority?: Priority;
}

export function selectRules(ruleset: LoadedRuleset, selection: RuleSelection = {}): LoadedRule[] {
  if (selection.names && selection.names.length > 0) {
    const byName = new Map(ruleset.rules.map((r) => [r.def.name, r]));
    const missing = selection.names.filter((n) => !byName.has(n));
    if (missing.length > 0) throw new PedigreeError('USAGE', `no rule named ${missing.map((m) => `'${m}'`).join(', ')} in ${ruleset.files.join(', ')}`);
    return selection.names.map((n) => byName.get(n) as LoadedRule).filter((r) => !selection.minPriority || atLeast(r.def.priority, selection.minPriority));
  }
  return ruleset.rules.filter((r) => r.def.enabled && (!selection.minPriority || atLeast(r.def.priority, selection.minPriority)));
}

export interface RuleReport {
  rule: LoadedRule;
  verdict: RuleVerdict;
}

export function compileRules(rules: LoadedRule[], options: RuleQueryOptions = {}): RuleReport[] {
  return rules.map((rule) => ({ rule, verdict: withinSqliteLimits(compileRule(rule, options)) }));
}

/** A rule SQLite would refuse to run (too deep, too many variables) is not evaluable, said so before the run. */
function withinSqliteLimits(verdict: RuleVerdict): RuleVerdict {
  if (verdict.status !== 'evaluable') return verdict;
  const refusal = sqliteSizeRefusal(verdict.compiled.sql, verdict.compiled.parameters);
  return refusal === null ? verdict : { status: 'not-evaluable', blocking: 'size', reason: `too large for SQLite (${refusal})` };
}

/** The evaluable rules; a rule Falco would reject too (type error, …) stops the run. */
export function evaluableRules(reports: RuleReport[]): CompiledRule[] {
  const errors = reports.filter((r) => r.verdict.status === 'error');
  if (errors.length > 0) {
    const lines = errors.map(
      (r) => `rule '${r.rule.def.name}' (${r.rule.def.context.file}:${r.rule.def.context.line}): ${(r.verdict as { message: string }).message}`,
    );
    throw new PedigreeError('RULES_COMPILE', lines.join('\n'));
  }
  return reports.flatMap((r) => (r.verdict.status === 'evaluable' ? [r.verdict.compiled] : []));
}
