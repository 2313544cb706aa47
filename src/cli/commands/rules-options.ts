import { InvalidArgumentError, Option } from 'commander';
import { parseTimeArg } from '../parse-args.js';
import type { loadRulesFiles } from '../../rules/loader/load-rules.js';
import { describeMessage } from '../../rules/loader/load-result.js';
import { parsePriority, type Priority } from '../../rules/priority.js';

/** Options and messages the `rules` and `chains` commands share. */

export function priorityOption(value: string): Priority {
  const p = parsePriority(value);
  if (!p) throw new InvalidArgumentError('expected one of emergency, alert, critical, error, warning, notice, info, debug');
  return p;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function printWarnings(warnings: ReturnType<typeof loadRulesFiles>['warnings'], verbose: boolean): void {
  for (const w of warnings) {
    if (!verbose && (w.code === 'LOAD_UNUSED_MACRO' || w.code === 'LOAD_UNUSED_LIST')) continue;
    process.stderr.write(`${describeMessage(w)}\n`);
  }
}

/**
 * The options `rules run` and `chains run` share, worded for what they run (`rule`/`chain`), what
 * their time bounds apply to (`events`/`steps`) and where hits go.
 */
export function runOptions(noun: 'rule' | 'chain', timed: 'events' | 'steps', table: string): Option[] {
  return [
    new Option(`--${noun} <name>`, `run only this ${noun} (repeatable; runs it even when disabled)`).argParser(collect),
    new Option(
      '--filter <expr>',
      `a sysdig/Falco filter scoping the run: only ${noun === 'rule' ? 'alerts on execs' : 'matches whose every step is an exec'} that match it (lists and macros of the files given)`,
    ),
    new Option('--min-priority <priority>', `only ${noun}s at least this severe`).argParser(priorityOption),
    new Option('--since <time>', `only ${timed} at or after this time (ns, seconds or ISO 8601)`).argParser(parseTimeArg),
    new Option('--until <time>', `only ${timed} before this time`).argParser(parseTimeArg),
    new Option('--stats', `print per-${noun} hits and time on stderr`),
    new Option('--no-save', `do not write the hits to the ${table}`),
    new Option('-q, --quiet', 'no warnings or summary on stderr'),
  ];
}

/** Bound parameters as `explain` prints them: nanosecond BigInts as decimal strings. */
export function printableParameters(parameters: readonly unknown[]): unknown[] {
  return parameters.map((p) => (typeof p === 'bigint' ? p.toString() : p));
}

/** Loads the lists and macros of Falco's default rules (bundled) before the files named. */
export function withFalcoDefaultsOption(): Option {
  return new Option(
    '--with-falco-defaults',
    "load the lists and macros of Falco's falco_rules.yaml (bundled, Apache-2.0) before the files, for rules that use container, spawned_process, shell_procs, …",
  );
}
