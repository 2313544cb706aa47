import type { Expr } from '../condition/ast.js';

/**
 * The event types a condition can match, computed as libsinsp does (ppm_codes.cpp): negations
 * pushed to the leaves, `and` = intersection, `or` = union; `evt.type` checks give sets,
 * `evt.num = 0` / `evt.num < 1` the empty set, every other check is neutral (all types) and
 * stays neutral under `not`.
 */
export interface EventTypeSet {
  /** When true the set is "every type except `types`". */
  complement: boolean;
  types: ReadonlySet<string>;
}

const ALL: EventTypeSet = { complement: true, types: new Set() };
const NONE: EventTypeSet = { complement: false, types: new Set() };

function only(types: Iterable<string>): EventTypeSet {
  return { complement: false, types: new Set(types) };
}

function invert(s: EventTypeSet): EventTypeSet {
  return { complement: !s.complement, types: s.types };
}

function union(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (!a.complement && !b.complement) return only([...a.types, ...b.types]);
  if (a.complement && b.complement) return { complement: true, types: new Set([...a.types].filter((t) => b.types.has(t))) };
  const [co, plain] = a.complement ? [a, b] : [b, a];
  return { complement: true, types: new Set([...co.types].filter((t) => !plain.types.has(t))) };
}

function intersect(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (!a.complement && !b.complement) return only([...a.types].filter((t) => b.types.has(t)));
  if (a.complement && b.complement) return { complement: true, types: new Set([...a.types, ...b.types]) };
  const [co, plain] = a.complement ? [a, b] : [b, a];
  return only([...plain.types].filter((t) => !co.types.has(t)));
}

export function isAllTypes(s: EventTypeSet): boolean {
  return s.complement && s.types.size === 0;
}

export function eventTypesOf(expr: Expr, negated = false): EventTypeSet {
  switch (expr.kind) {
    case 'and':
    case 'or': {
      const sets = expr.children.map((c) => eventTypesOf(c, negated));
      const intersecting = (expr.kind === 'and') !== negated;
      return sets.reduce((acc, s) => (intersecting ? intersect(acc, s) : union(acc, s)));
    }
    case 'not':
      return eventTypesOf(expr.child, !negated);
    case 'macro':
    case 'unary':
      return ALL;
    case 'binary': {
      const leaf = leafSet(expr);
      if (!leaf) return ALL;
      return negated ? invert(leaf) : leaf;
    }
  }
}

function leafSet(check: Extract<Expr, { kind: 'binary' }>): EventTypeSet | undefined {
  if (check.left.kind !== 'field' || check.modifier) return undefined;
  const name = check.left.name;
  const right = check.right;
  if (name === 'evt.type' || name === 'syscall.type') {
    if (right.kind === 'value') {
      if (check.op === '=' || check.op === '==') return only([right.value]);
      if (check.op === '!=') return invert(only([right.value]));
    }
    if (right.kind === 'list' && (check.op === 'in' || check.op === 'intersects')) return only(right.items.map((i) => i.value));
    return undefined;
  }
  if (name === 'evt.num' && right.kind === 'value') {
    const n = Number(right.value);
    if (((check.op === '=' || check.op === '==') && n === 0) || (check.op === '<' && n === 1)) return NONE;
    if ((check.op === '!=' && n === 0) || (check.op === '>=' && n === 1)) return ALL;
  }
  return undefined;
}
