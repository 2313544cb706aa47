import type { Pos } from '../condition/ast.js';

/** The condition is wrong in a way Falco would reject too (bad operator for a field type, …). */
export class RuleCompileError extends Error {
  readonly pos: Pos | undefined;
  constructor(message: string, pos?: Pos) {
    super(message);
    this.name = 'RuleCompileError';
    this.pos = pos;
  }
}

/** The condition is valid Falco but the case cannot answer it (the field names what blocks it). */
export class NotEvaluableError extends Error {
  readonly blocking: string;
  constructor(blocking: string, reason: string) {
    super(reason);
    this.name = 'NotEvaluableError';
    this.blocking = blocking;
  }
}
