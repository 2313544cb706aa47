import { InvalidArgumentError } from 'commander';
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
