/**
 * The Falco condition parser: condition text → AST with positions.
 *
 * Grammar (libsinsp filter language; `{}` = repeat, `[]` = optional, BLANK = space, tab, \b,
 * CR, LF, FF, VT):
 *
 *   expr        ::= or_expr
 *   or_expr     ::= and_expr { "or" (BLANK | &"(") and_expr }
 *   and_expr    ::= not_expr { "and" (BLANK | &"(") not_expr }
 *   not_expr    ::= { "not" (BLANK | &"(") } check
 *   check       ::= "(" expr ")"
 *                 | operand condition
 *                 | IDENT                                        (macro reference)
 *   operand     ::= field | transformer
 *   field       ::= FIELDNAME [ "[" (QUOTED | ARGBARE) "]" ]
 *   transformer ::= XF "(" xarg { "," xarg } ")"
 *   xarg        ::= operand | QUOTED | NUMBER | "(" [ xitem { "," xitem } ] ")"
 *   condition   ::= "exists"
 *                 | NUMOP (NUMBER | rhs_field)
 *                 | STROP MOD list
 *                 | STROP (rhs_field | STRVAL)
 *                 | LISTOP (list | rhs_field)
 *   list        ::= "(" [ STRVAL { "," STRVAL } ] ")"
 *   rhs_field   ::= transformer | "val(" field ")"
 *   STRVAL      ::= QUOTED | BARESTR
 *
 *   NUMOP    ::= "<=" | "<" | ">=" | ">"
 *   STROP    ::= "==" | "=" | "!=" | "contains" | "icontains" | "bcontains" | "startswith"
 *              | "bstartswith" | "endswith" | "glob" | "iglob" | "regex"
 *   LISTOP   ::= "in" | "intersects" | "pmatch"
 *   MOD      ::= "oneof" | "anyof" | "allof"
 *   XF       ::= "tolower" | "toupper" | "b64" | "basename" | "len" | "join" | "concat" | "getopt"
 *   FIELDNAME::= /[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+/
 *   IDENT    ::= /[a-zA-Z][a-zA-Z0-9_]*\/
 *   ARGBARE  ::= /[^ \t\b\r\n\[\]"']+/
 *   BARESTR  ::= /[^ \t\b\r\n(),="']+/
 *   NUMBER   ::= /[+-]?(0[xX][0-9a-fA-F]+|[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?)/
 *   QUOTED   ::= '"' … '"' | "'" … "'"   (escapes: see quoting.ts)
 *
 * Word operators need a BLANK after them; list operators and `not`/`and`/`or` may also be
 * followed directly by "(". `not` > `and` > `or`; `and`/`or` are n-ary.
 */
import {
  LIST_OPERATORS,
  NUMERIC_OPERATORS,
  OPERATOR_MODIFIERS,
  STRING_OPERATORS,
  TRANSFORMERS,
  type BinaryOperator,
  type Expr,
  type FieldExpr,
  type ListExpr,
  type Operand,
  type OperatorModifier,
  type Pos,
  type RightHandSide,
  type TransformerArg,
  type TransformerExpr,
  type TransformerName,
  type ValueExpr,
} from './ast.js';
import { BadEscapeError, readQuoted } from './quoting.js';

export class ConditionSyntaxError extends Error {
  readonly pos: Pos;
  constructor(message: string, pos: Pos) {
    super(`${message} at line ${pos.line} column ${pos.col}`);
    this.name = 'ConditionSyntaxError';
    this.pos = pos;
  }
}

/** Falco caps parser recursion at 1000 levels; so do we. */
const MAX_DEPTH = 1000;

const BLANK = /[ \t\b\r\n\f\v]/;
const FIELDNAME = /[a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+/y;
const IDENT = /[a-zA-Z][a-zA-Z0-9_]*/y;
const WORD = /[a-z0-9]+/y;
const ARGBARE = /[^ \t\b\r\n\f\v[\]"']+/y;
const BARESTR = /[^ \t\b\r\n\f\v(),="']+/y;
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)/y;

const SYMBOL_OPERATORS = ['<=', '>=', '==', '!=', '<', '>', '='] as const;
/** Operators spelled as words (`contains`, `in`, …), as opposed to symbols. */
const WORD_OPERATORS = new Set<string>([...STRING_OPERATORS, ...LIST_OPERATORS, 'exists'].filter((op) => /^[a-z]+$/.test(op)));
const LIST_OPS = new Set<string>(LIST_OPERATORS);
const NUMERIC_OPS = new Set<string>(NUMERIC_OPERATORS);

/** Parses one condition. Throws ConditionSyntaxError with the position of the problem. */
export function parseCondition(text: string): Expr {
  return new ConditionParser(text).parseWhole();
}

class ConditionParser {
  private i = 0;
  private depth = 0;
  private readonly lineStarts: number[] = [0];

  constructor(private readonly text: string) {
    for (let k = 0; k < text.length; k++) if (text[k] === '\n') this.lineStarts.push(k + 1);
  }

  parseWhole(): Expr {
    this.skipBlanks();
    if (this.i >= this.text.length) this.fail('empty condition');
    const e = this.parseOr();
    this.skipBlanks();
    if (this.i < this.text.length) this.fail(`unexpected '${this.peekToken()}'`);
    return e;
  }

  // ---- positions and errors

  private posAt(offset: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, col: offset - (this.lineStarts[lo] as number) + 1 };
  }

  private pos(): Pos {
    return this.posAt(this.i);
  }

  private fail(message: string, at = this.i): never {
    throw new ConditionSyntaxError(message, this.posAt(at));
  }

  private peekToken(): string {
    const m = /[^ \t\b\r\n\f\v]{1,20}/y;
    m.lastIndex = this.i;
    return m.exec(this.text)?.[0] ?? this.text.slice(this.i, this.i + 1);
  }

  // ---- lexing helpers

  private skipBlanks(): void {
    while (this.i < this.text.length && BLANK.test(this.text[this.i] as string)) this.i++;
  }

  private isBlankAt(k: number): boolean {
    const ch = this.text[k];
    return ch !== undefined && BLANK.test(ch);
  }

  private match(re: RegExp): string | null {
    re.lastIndex = this.i;
    const m = re.exec(this.text);
    return m ? m[0] : null;
  }

  /** Consumes `word` when it stands alone, followed by a blank or "(". */
  private keyword(word: string): boolean {
    if (!this.text.startsWith(word, this.i)) return false;
    const after = this.i + word.length;
    // At the very end the keyword still counts, so the error is "the condition ended".
    if (after < this.text.length && !this.isBlankAt(after) && this.text[after] !== '(') return false;
    this.i = after;
    return true;
  }

  private expect(ch: string, what: string): void {
    this.skipBlanks();
    if (this.text[this.i] !== ch) this.fail(`expected ${what}`);
    this.i++;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`condition nests deeper than ${MAX_DEPTH} levels`);
  }

  // ---- boolean structure

  private parseOr(): Expr {
    this.enter();
    const start = this.pos();
    const children = [this.parseAnd()];
    for (;;) {
      this.skipBlanks();
      if (!this.keyword('or')) break;
      children.push(this.parseAnd());
    }
    this.depth--;
    return children.length === 1 ? (children[0] as Expr) : { kind: 'or', pos: start, children };
  }

  private parseAnd(): Expr {
    this.skipBlanks();
    const start = this.pos();
    const children = [this.parseNot()];
    for (;;) {
      this.skipBlanks();
      if (!this.keyword('and')) break;
      children.push(this.parseNot());
    }
    return children.length === 1 ? (children[0] as Expr) : { kind: 'and', pos: start, children };
  }

  private parseNot(): Expr {
    this.skipBlanks();
    const start = this.pos();
    if (this.keyword('not')) {
      this.enter();
      const child = this.parseNot();
      this.depth--;
      return { kind: 'not', pos: start, child };
    }
    return this.parseCheck();
  }

  private parseCheck(): Expr {
    this.skipBlanks();
    const start = this.pos();
    if (this.i >= this.text.length) this.fail('expected a check, a macro or "(" but the condition ended');
    if (this.text[this.i] === '(') {
      this.i++;
      const inner = this.parseOr();
      this.expect(')', '")"');
      return inner;
    }
    const transformer = this.tryTransformer();
    if (transformer) return this.parseComparison(transformer, start);
    const field = this.tryField();
    if (field) return this.parseComparison(field, start);
    const ident = this.match(IDENT);
    if (ident) {
      this.i += ident.length;
      const next = this.text[this.i];
      if (next !== undefined && !this.isBlankAt(this.i) && next !== ')') {
        this.fail(`unexpected '${next}' after '${ident}'`);
      }
      if (ident === 'and' || ident === 'or' || ident === 'not') this.fail(`'${ident}' needs an operand`, start.offset);
      return { kind: 'macro', pos: start, name: ident };
    }
    this.fail(`expected a field, a macro or "(" but found '${this.peekToken()}'`);
  }

  // ---- operands

  private tryField(): FieldExpr | null {
    const start = this.pos();
    const name = this.match(FIELDNAME);
    if (!name) return null;
    this.i += name.length;
    const field: FieldExpr = { kind: 'field', pos: start, name };
    if (this.text[this.i] === '[') {
      this.i++;
      field.arg = this.readFieldArg();
      if (this.text[this.i] !== ']') this.fail('expected "]" after the field argument');
      this.i++;
    }
    return field;
  }

  private readFieldArg(): string {
    const ch = this.text[this.i];
    if (ch === '"' || ch === "'") return this.readQuotedAt().value;
    const bare = this.match(ARGBARE);
    if (!bare) this.fail('expected a field argument');
    this.i += bare.length;
    return bare;
  }

  private tryTransformer(): TransformerExpr | null {
    const start = this.pos();
    const word = this.match(IDENT);
    if (!word || !(TRANSFORMERS as readonly string[]).includes(word) || this.text[this.i + word.length] !== '(') return null;
    this.i += word.length + 1;
    this.enter();
    const args: TransformerArg[] = [];
    this.skipBlanks();
    if (this.text[this.i] !== ')') {
      for (;;) {
        args.push(this.parseTransformerArg());
        this.skipBlanks();
        if (this.text[this.i] === ',') {
          this.i++;
          continue;
        }
        break;
      }
    }
    this.expect(')', `")" to close ${word}(`);
    this.depth--;
    if (args.length === 0) this.fail(`${word}() needs an argument`, start.offset);
    return { kind: 'transformer', pos: start, name: word as TransformerName, args };
  }

  private parseTransformerArg(): TransformerArg {
    this.skipBlanks();
    const start = this.pos();
    const ch = this.text[this.i];
    if (ch === '(') return this.parseList();
    if (ch === '"' || ch === "'") {
      const q = this.readQuotedAt();
      return { kind: 'value', pos: start, value: q.value, quoted: true };
    }
    const operand = this.tryTransformer() ?? this.tryField();
    if (operand) return operand;
    const num = this.match(NUMBER);
    if (num) {
      this.i += num.length;
      return { kind: 'value', pos: start, value: num, quoted: false };
    }
    this.fail('expected a field, a transformer or a value as transformer argument');
  }

  // ---- comparisons

  private parseComparison(left: Operand, start: Pos): Expr {
    this.skipBlanks();
    const opStart = this.i;
    const op = this.readOperator();
    if (op === 'exists') return { kind: 'unary', pos: start, left, op: 'exists' };
    this.skipBlanks();
    if (NUMERIC_OPS.has(op)) {
      const right = this.tryRhsField() ?? this.readNumber();
      return { kind: 'binary', pos: start, left, op: op as BinaryOperator, right };
    }
    if (LIST_OPS.has(op)) {
      const right = this.text[this.i] === '(' ? this.parseList() : this.tryRhsField();
      if (!right) this.fail(`expected a list "( … )" after '${op}'`);
      return { kind: 'binary', pos: start, left, op: op as BinaryOperator, right };
    }
    const modifier = this.tryModifier();
    if (modifier) {
      this.skipBlanks();
      if (this.text[this.i] !== '(') this.fail(`expected a list "( … )" after '${op} ${modifier}'`);
      const right = this.parseList();
      return { kind: 'binary', pos: start, left, op: op as BinaryOperator, modifier, right };
    }
    const right = this.tryRhsField() ?? this.readStringValue(`a value after '${this.text.slice(opStart, opStart + op.length)}'`);
    return { kind: 'binary', pos: start, left, op: op as BinaryOperator, right };
  }

  private readOperator(): string {
    for (const sym of SYMBOL_OPERATORS) {
      if (this.text.startsWith(sym, this.i)) {
        this.i += sym.length;
        return sym;
      }
    }
    const word = this.match(WORD);
    if (!word || !WORD_OPERATORS.has(word)) {
      this.fail(`expected an operator but found '${this.peekToken()}'`);
    }
    const after = this.i + word.length;
    const next = this.text[after];
    const endOk = next === undefined || this.isBlankAt(after) || (LIST_OPS.has(word) && next === '(') || (word === 'exists' && next === ')');
    if (!endOk) this.fail(`operator '${word}' must be followed by a blank`);
    this.i = after;
    return word;
  }

  private tryModifier(): OperatorModifier | null {
    for (const m of OPERATOR_MODIFIERS) {
      if (this.text.startsWith(m, this.i)) {
        // A modifier is only a modifier when a list follows; `proc.name = oneof` compares with "oneof".
        let after = this.i + m.length;
        if (!this.isBlankAt(after) && this.text[after] !== '(') continue;
        while (this.isBlankAt(after)) after++;
        if (this.text[after] === '(') {
          this.i = after;
          return m;
        }
      }
    }
    return null;
  }

  private tryRhsField(): RightHandSide | null {
    const start = this.pos();
    if (this.text.startsWith('val(', this.i)) {
      this.i += 4;
      this.skipBlanks();
      const field = this.tryField();
      if (!field) this.fail('expected a field inside val( )');
      this.expect(')', '")" to close val(');
      return { kind: 'field-value', pos: start, field };
    }
    return this.tryTransformer();
  }

  private readNumber(): ValueExpr {
    const start = this.pos();
    const num = this.match(NUMBER);
    if (!num) this.fail(`expected a number but found '${this.peekToken()}'`);
    this.i += num.length;
    return { kind: 'value', pos: start, value: num, quoted: false };
  }

  private readStringValue(what: string): ValueExpr {
    const start = this.pos();
    const ch = this.text[this.i];
    if (ch === '"' || ch === "'") {
      const q = this.readQuotedAt();
      return { kind: 'value', pos: start, value: q.value, quoted: true };
    }
    const bare = this.match(BARESTR);
    if (!bare) this.fail(`expected ${what}`);
    this.i += bare.length;
    return { kind: 'value', pos: start, value: bare, quoted: false };
  }

  private parseList(): ListExpr {
    const start = this.pos();
    this.i++; // "("
    const items: ValueExpr[] = [];
    this.skipBlanks();
    if (this.text[this.i] === ')') {
      this.i++;
      return { kind: 'list', pos: start, items };
    }
    for (;;) {
      this.skipBlanks();
      items.push(this.readStringValue('a list item'));
      this.skipBlanks();
      const ch = this.text[this.i];
      if (ch === ',') {
        this.i++;
        continue;
      }
      if (ch === ')') {
        this.i++;
        return { kind: 'list', pos: start, items };
      }
      this.fail(ch === undefined ? 'list is not closed with ")"' : `expected "," or ")" in list but found '${ch}'`);
    }
  }

  private readQuotedAt(): { value: string } {
    const start = this.i;
    let q;
    try {
      q = readQuoted(this.text, start);
    } catch (err) {
      if (err instanceof BadEscapeError) this.fail(err.message, start + err.offset);
      throw err;
    }
    if (!q) this.fail('unterminated quoted string', start);
    this.i = q.end;
    return q;
  }
}
