import { fieldsOf, type Expr } from '../condition/ast.js';
import { printCondition } from '../condition/printer.js';
import { NotEvaluableError, RuleCompileError } from './errors.js';
import { eventTypesOf } from './event-types.js';
import { resolveField } from './field-lookup.js';

/**
 * Partial evaluation: the branches of a disjunction the case cannot answer (a field it does not
 * hold, or only event types it does not hold) are dropped, and the rule runs on the others. The
 * reduced condition matches a subset of what the whole one matches on process events, so what
 * it reports Falco would report too; what a dropped branch would have found is said, not hidden.
 *
 * Only disjunctions in positive position are reduced: a conjunct that cannot be known makes its
 * conjunction unknowable (never weakened), and under `not` dropping a branch would widen the
 * match, so anything unanswerable there makes the whole `not` unanswerable.
 */

export interface DroppedBranch {
  /** The branch as a condition, after macros. */
  branch: string;
  blocking: string;
  reason: string;
}

type Reduced = { ok: true; expr: Expr } | { ok: false; blocking: string; reason: string };

/** The event types the case holds, as `evaluability` names them. */
export type HeldTypes = Readonly<Record<string, unknown>>;

export function reduceCondition(ast: Expr, held: HeldTypes): { expr: Expr; dropped: DroppedBranch[] } | undefined {
  const dropped: DroppedBranch[] = [];
  const r = reduce(ast, held, dropped);
  return r.ok ? { expr: r.expr, dropped } : undefined;
}

function reduce(expr: Expr, held: HeldTypes, dropped: DroppedBranch[]): Reduced {
  switch (expr.kind) {
    case 'and': {
      const children: Expr[] = [];
      for (const c of expr.children) {
        const r = reduce(c, held, dropped);
        if (!r.ok) return r;
        children.push(r.expr);
      }
      return { ok: true, expr: { ...expr, children } };
    }
    case 'or': {
      const kept: Expr[] = [];
      const local: DroppedBranch[] = [];
      let firstFailure: Reduced | undefined;
      for (const c of expr.children) {
        const inner: DroppedBranch[] = [];
        let r = reduce(c, held, inner);
        if (r.ok) {
          const onlyUnheld = unheldEventTypes(r.expr, held);
          if (onlyUnheld) r = { ok: false, blocking: 'evt.type', reason: onlyUnheld };
        }
        if (r.ok) {
          kept.push(r.expr);
          local.push(...inner);
        } else {
          firstFailure ??= r;
          local.push({ branch: printCondition(c), blocking: r.blocking, reason: r.reason });
        }
      }
      if (kept.length === 0) return firstFailure as Reduced;
      dropped.push(...local);
      return { ok: true, expr: kept.length === 1 ? (kept[0] as Expr) : { ...expr, children: kept } };
    }
    case 'not': {
      const blocked = blockingField(expr.child);
      return blocked ? { ok: false, ...blocked } : { ok: true, expr };
    }
    case 'macro':
    case 'unary':
    case 'binary': {
      const blocked = blockingField(expr);
      return blocked ? { ok: false, ...blocked } : { ok: true, expr };
    }
  }
}

/** The first field of `expr` the case cannot answer, if any. */
function blockingField(expr: Expr): { blocking: string; reason: string } | undefined {
  for (const f of fieldsOf(expr)) {
    try {
      resolveField(f);
    } catch (err) {
      if (err instanceof RuleCompileError) continue;
      if (!(err instanceof NotEvaluableError)) throw err;
      return { blocking: err.blocking, reason: err.message };
    }
  }
  return undefined;
}

/** A reason when the branch can only match event types the case does not hold. */
function unheldEventTypes(expr: Expr, held: HeldTypes): string | undefined {
  const set = eventTypesOf(expr);
  if (set.complement || set.types.size === 0) return undefined;
  const types = [...set.types];
  if (types.some((t) => t in held)) return undefined;
  return `needs ${types.sort().join(', ')} events; the case holds process events only`;
}
