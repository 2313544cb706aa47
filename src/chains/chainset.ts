import type { LoadedChain, LoadedRuleset } from '../rules/loader/load-rules.js';
import { atLeast, type Priority } from '../rules/priority.js';
import { PedigreeError } from '../util/errors.js';
import { sqliteSizeRefusal } from '../db/sql-acceptance.js';
import { compileChain, type ChainVerdict, type CompiledChain } from './compile/chain-query.js';
import type { TimeBounds } from './compile/step-candidates.js';

/** Which loaded chain rules a command works on. */
export interface ChainSelection {
  /** Chain names; when given, exactly these (enabled or not). */
  names?: string[];
  minPriority?: Priority;
}

export function selectChains(ruleset: LoadedRuleset, selection: ChainSelection = {}): LoadedChain[] {
  const severe = (c: LoadedChain): boolean => !selection.minPriority || atLeast(c.def.priority, selection.minPriority);
  if (selection.names && selection.names.length > 0) {
    const byName = new Map(ruleset.chains.map((c) => [c.def.name, c]));
    const missing = selection.names.filter((n) => !byName.has(n));
    if (missing.length > 0) {
      const known = ruleset.chains.length > 0 ? ` (chains: ${ruleset.chains.map((c) => `'${c.def.name}'`).join(', ')})` : ' (they define no chains)';
      throw new PedigreeError('USAGE', `no chain named ${missing.map((m) => `'${m}'`).join(', ')} in ${ruleset.files.join(', ')}${known}`);
    }
    return selection.names.map((n) => byName.get(n) as LoadedChain).filter(severe);
  }
  return ruleset.chains.filter((c) => c.def.enabled && severe(c));
}

export interface ChainReport {
  chain: LoadedChain;
  verdict: ChainVerdict;
}

export function compileChains(chains: LoadedChain[], bounds: TimeBounds = {}): ChainReport[] {
  return chains.map((chain) => {
    const verdict = compileChain(chain, bounds);
    if (verdict.status !== 'evaluable') return { chain, verdict };
    // A chain SQLite would refuse to run (too deep, too many variables) is not evaluable, said so before the run.
    const refusal = sqliteSizeRefusal(verdict.compiled.sql, verdict.compiled.parameters);
    return refusal === null
      ? { chain, verdict }
      : { chain, verdict: { status: 'not-evaluable', part: 'query', blocking: 'size', reason: `too large for SQLite (${refusal})` } };
  });
}

/** The evaluable chains; a chain with a compile error (type error, …) stops the run. */
export function evaluableChains(reports: ChainReport[]): CompiledChain[] {
  const errors = reports.filter((r) => r.verdict.status === 'error');
  if (errors.length > 0) {
    const lines = errors.map((r) => {
      const v = r.verdict as { part: string; message: string };
      return `chain '${r.chain.def.name}' (${r.chain.def.context.file}:${r.chain.def.context.line}), ${v.part}: ${v.message}`;
    });
    throw new PedigreeError('RULES_COMPILE', lines.join('\n'));
  }
  return reports.flatMap((r) => (r.verdict.status === 'evaluable' ? [r.verdict.compiled] : []));
}
