/**
 * The condition AST: a kind-tagged union, every node with the position where it starts in the
 * condition text. Mirrors libsinsp's filter/ast.h (and, or, not, unary and binary checks, list,
 * value, field and transformer expressions) plus the macro reference the engine resolves.
 */

/** 0-based offset and 1-based line and column in the condition text. */
export interface Pos {
  offset: number;
  line: number;
  col: number;
}

export interface AndExpr {
  readonly kind: 'and';
  pos: Pos;
  children: Expr[];
}

export interface OrExpr {
  readonly kind: 'or';
  pos: Pos;
  children: Expr[];
}

export interface NotExpr {
  readonly kind: 'not';
  pos: Pos;
  child: Expr;
}

/** A bare identifier in check position: a macro, replaced by the macro resolver. */
export interface MacroRef {
  readonly kind: 'macro';
  pos: Pos;
  name: string;
}

/** `field exists`. */
export interface UnaryCheck {
  readonly kind: 'unary';
  pos: Pos;
  left: Operand;
  op: 'exists';
}

export interface BinaryCheck {
  readonly kind: 'binary';
  pos: Pos;
  left: Operand;
  op: BinaryOperator;
  /** `oneof` / `anyof` / `allof` after a string operator (libs 0.25+). */
  modifier?: OperatorModifier;
  right: RightHandSide;
}

export type Expr = AndExpr | OrExpr | NotExpr | MacroRef | UnaryCheck | BinaryCheck;

export interface FieldExpr {
  readonly kind: 'field';
  pos: Pos;
  /** Field name without the argument, e.g. `proc.aname`. */
  name: string;
  /** Argument in brackets as written (unquoted), e.g. `2` or `HOME`. */
  arg?: string;
}

export interface TransformerExpr {
  readonly kind: 'transformer';
  pos: Pos;
  name: TransformerName;
  args: TransformerArg[];
}

/** What a check's left side (or a `val()`/transformer right side) is: a field, possibly transformed. */
export type Operand = FieldExpr | TransformerExpr;

export interface ValueExpr {
  readonly kind: 'value';
  pos: Pos;
  value: string;
  /** True when the value was written in quotes (affects printing only). */
  quoted: boolean;
}

export interface ListExpr {
  readonly kind: 'list';
  pos: Pos;
  items: ValueExpr[];
}

/** `val(field)`: compare with another field of the same event. */
export interface FieldValueExpr {
  readonly kind: 'field-value';
  pos: Pos;
  field: FieldExpr;
}

export type RightHandSide = ValueExpr | ListExpr | FieldValueExpr | TransformerExpr;

/** Transformer arguments: operands, literal values, or a parenthesised list of them. */
export type TransformerArg = Operand | ValueExpr | ListExpr;

export const NUMERIC_OPERATORS = ['<=', '<', '>=', '>'] as const;
export const STRING_OPERATORS = [
  '==',
  '=',
  '!=',
  'contains',
  'icontains',
  'bcontains',
  'startswith',
  'bstartswith',
  'endswith',
  'glob',
  'iglob',
  'regex',
] as const;
export const LIST_OPERATORS = ['in', 'intersects', 'pmatch'] as const;
export const OPERATOR_MODIFIERS = ['oneof', 'anyof', 'allof'] as const;
export const TRANSFORMERS = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'] as const;

export type NumericOperator = (typeof NUMERIC_OPERATORS)[number];
export type StringOperator = (typeof STRING_OPERATORS)[number];
export type ListOperator = (typeof LIST_OPERATORS)[number];
export type BinaryOperator = NumericOperator | StringOperator | ListOperator;
export type OperatorModifier = (typeof OPERATOR_MODIFIERS)[number];
export type TransformerName = (typeof TRANSFORMERS)[number];

export function isListOperator(op: string): op is ListOperator {
  return (LIST_OPERATORS as readonly string[]).includes(op);
}

/** Calls `visit` on every expression node, parents before children. */
export function walkExpr(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'and':
    case 'or':
      for (const c of expr.children) walkExpr(c, visit);
      return;
    case 'not':
      walkExpr(expr.child, visit);
      return;
    case 'macro':
    case 'unary':
    case 'binary':
      return;
  }
}

/** Collects the fields one side of a check reads, inside transformers too. */
export function operandFields(o: Operand | TransformerArg | RightHandSide | ListExpr, out: FieldExpr[]): void {
  switch (o.kind) {
    case 'field':
      out.push(o);
      return;
    case 'transformer':
      for (const a of o.args) operandFields(a, out);
      return;
    case 'field-value':
      out.push(o.field);
      return;
    case 'value':
    case 'list':
      return;
  }
}

/** Every field an expression reads, on either side of a check and inside transformers. */
export function fieldsOf(expr: Expr): FieldExpr[] {
  const out: FieldExpr[] = [];
  walkExpr(expr, (e) => {
    if (e.kind === 'unary') operandFields(e.left, out);
    if (e.kind === 'binary') {
      operandFields(e.left, out);
      operandFields(e.right, out);
    }
  });
  return out;
}
