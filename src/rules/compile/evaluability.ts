import { fieldsOf, type Expr } from '../condition/ast.js';
import type { LoadedRule } from '../loader/load-rules.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';
import { eventTypesOf, isAllTypes } from './event-types.js';
import { resolveField } from './field-lookup.js';
import { reduceCondition, type DroppedBranch } from './partial.js';

/**
 * Which process events each event type is held as in the case: execve/execveat are the `exec`
 * rows, clone/fork/vfork the `fork` rows (the child's side of the call).
 */
export const HELD_EVENT_TYPES: Readonly<Record<string, 'exec' | 'fork'>> = {
  execve: 'exec',
  execveat: 'exec',
  clone: 'fork',
  clone3: 'fork',
  fork: 'fork',
  vfork: 'fork',
};

export type Evaluability =
  | {
      evaluable: true;
      eventTypes: string[];
      allTypes: boolean;
      /** The condition to run: the whole one, or what is left after dropping branches. */
      ast: Expr;
      /** Branches of a disjunction dropped because the case cannot answer them (partial rule). */
      dropped: DroppedBranch[];
    }
  | { evaluable: false; blocking: string; reason: string };

/** Decides whether the case can answer a rule, and which event types it runs on. */
export function evaluability(rule: LoadedRule): Evaluability {
  if (rule.def.source !== 'syscall') {
    return { evaluable: false, blocking: 'source', reason: `rule source '${rule.def.source}' is not syscall events` };
  }
  return conditionEvaluability(rule.ast);
}

/** Whether the case can answer a syscall condition, and which event types it matches. */
export function conditionEvaluability(ast: Expr): Evaluability {
  const reduced = reduceCondition(ast, HELD_EVENT_TYPES);
  if (reduced && reduced.dropped.length > 0) {
    const verdict = wholeConditionEvaluability(reduced.expr);
    if (verdict.evaluable) return { ...verdict, dropped: reduced.dropped };
  }
  return wholeConditionEvaluability(ast);
}

function wholeConditionEvaluability(ast: Expr): Evaluability {
  let blockingField: NotEvaluableError | undefined;
  for (const f of fieldsOf(ast)) {
    try {
      resolveField(f);
    } catch (err) {
      // A field used wrongly (bad argument) is reported when the condition is compiled.
      if (err instanceof RuleCompileError) continue;
      if (!(err instanceof NotEvaluableError)) throw err;
      blockingField = err;
      break;
    }
  }
  const set = eventTypesOf(ast);
  const held = Object.keys(HELD_EVENT_TYPES);
  const missingTypes = set.complement ? [] : [...set.types].filter((t) => !(t in HELD_EVENT_TYPES));
  if (blockingField || missingTypes.length > 0) {
    const reasons: string[] = [];
    if (blockingField) reasons.push(blockingField.message);
    if (missingTypes.length > 0) reasons.push(`needs ${missingTypes.sort().join(', ')} events; the case holds process events only (${held.join(', ')})`);
    return { evaluable: false, blocking: blockingField?.blocking ?? 'evt.type', reason: reasons.join('; ') };
  }
  const eventTypes = set.complement ? held.filter((t) => !set.types.has(t)) : [...set.types].filter((t) => t in HELD_EVENT_TYPES);
  return { evaluable: true, eventTypes, allTypes: isAllTypes(set), ast, dropped: [] };
}
