import type { Expr, ListExpr, Operand, RightHandSide, TransformerArg } from './ast.js';
import { quoteAlways, quoteValue } from './quoting.js';

/**
 * Prints an AST back as condition text: single spaces, `and`/`or` groups in parentheses
 * whenever they sit inside another operator, lists as `(a, b)`. Parsing the result gives the
 * same AST (positions aside), which the loader tests rely on.
 */
export function printCondition(expr: Expr): string {
  switch (expr.kind) {
    case 'and':
    case 'or':
      return expr.children.map((c) => printNested(c)).join(` ${expr.kind} `);
    case 'not':
      return `not ${printNested(expr.child)}`;
    case 'macro':
      return expr.name;
    case 'unary':
      return `${printOperand(expr.left)} exists`;
    case 'binary': {
      const mod = expr.modifier ? ` ${expr.modifier}` : '';
      return `${printOperand(expr.left)} ${expr.op}${mod} ${printRight(expr.right)}`;
    }
  }
}

function printNested(expr: Expr): string {
  return expr.kind === 'and' || expr.kind === 'or' ? `(${printCondition(expr)})` : printCondition(expr);
}

function printOperand(o: Operand): string {
  if (o.kind === 'field') return o.arg === undefined ? o.name : `${o.name}[${printFieldArg(o.arg)}]`;
  return `${o.name}(${o.args.map(printTransformerArg).join(', ')})`;
}

function printFieldArg(arg: string): string {
  return /^[^\s[\]"']+$/.test(arg) ? arg : quoteValue(arg);
}

function printTransformerArg(a: TransformerArg): string {
  switch (a.kind) {
    case 'field':
    case 'transformer':
      return printOperand(a);
    case 'value':
      return a.quoted ? quoteAlways(a.value) : a.value;
    case 'list':
      return printList(a);
  }
}

function printList(l: ListExpr): string {
  return `(${l.items.map((v) => quoteValue(v.value)).join(', ')})`;
}

function printRight(r: RightHandSide): string {
  switch (r.kind) {
    case 'value':
      return quoteValue(r.value);
    case 'list':
      return printList(r);
    case 'field-value':
      return `val(${printOperand(r.field)})`;
    case 'transformer':
      return printOperand(r);
  }
}
