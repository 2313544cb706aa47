import { LIST_OPERATORS, NUMERIC_OPERATORS, STRING_OPERATORS } from '../condition/ast.js';
import { quoteAlways } from '../condition/quoting.js';
import type { ExceptionDef } from './definitions.js';
import type { LoadMessages } from './load-result.js';

/**
 * Rule exceptions become condition text, as Falco's loader builds it: `(<condition>)` followed
 * by ` and not (<exception>)` for each exception that has values.
 */

const KNOWN_OPERATORS = new Set<string>([...NUMERIC_OPERATORS, ...STRING_OPERATORS, ...LIST_OPERATORS]);
const FIELD_NAME = /^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z0-9_]+)+(\[[^\]]*\])?$/;

/** True when the operator takes a list: `in`, `intersects`, `pmatch` or an op with a modifier. */
function takesList(comp: string): boolean {
  const [op, modifier] = comp.trim().split(/\s+/);
  return (LIST_OPERATORS as readonly string[]).includes(op ?? '') || modifier !== undefined;
}

function validOperator(comp: string): boolean {
  const [op, modifier, extra] = comp.trim().split(/\s+/);
  if (extra !== undefined || !KNOWN_OPERATORS.has(op ?? '')) return false;
  return modifier === undefined || ['oneof', 'anyof', 'allof'].includes(modifier);
}

function isQuoted(s: string): boolean {
  return s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")));
}

/** A scalar as condition text: quoted when it holds a blank or a character the lexer splits on. */
function valueText(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  if (isQuoted(s)) return s;
  return /[\s(),="']/.test(s) || s === '' ? quoteAlways(s) : s;
}

function listText(values: unknown[]): string {
  return `(${values.map(valueText).join(', ')})`;
}

export function conditionWithExceptions(condition: string, exceptions: ExceptionDef[], messages: LoadMessages): string {
  let out = `(${condition})`;
  for (const ex of exceptions) {
    const text = exceptionText(ex, messages);
    if (text) out += ` and not ${text}`;
  }
  return exceptions.length > 0 ? out : condition;
}

function exceptionText(ex: ExceptionDef, messages: LoadMessages): string | undefined {
  if (ex.fields === undefined) {
    messages.error('LOAD_ERR_YAML_VALIDATE', `exception '${ex.name}' has no fields`, ex.context);
    return undefined;
  }
  if (ex.values.length === 0) return undefined;
  if (typeof ex.fields === 'string') {
    const comp = typeof ex.comps === 'string' ? ex.comps : ex.comps === undefined ? 'in' : undefined;
    if (comp === undefined || !validOperator(comp) || !takesList(comp)) {
      messages.error(
        'LOAD_ERR_VALIDATE',
        `exception '${ex.name}' with a single field needs a list operator (in, pmatch, intersects), got '${String(ex.comps)}'`,
        ex.context,
      );
      return undefined;
    }
    if (!FIELD_NAME.test(ex.fields)) {
      messages.error('LOAD_ERR_VALIDATE', `exception '${ex.name}': '${ex.fields}' is not a field name`, ex.context);
      return undefined;
    }
    return `(${ex.fields} ${comp} ${listText(ex.values)})`;
  }
  const fields = ex.fields;
  const comps = ex.comps === undefined ? fields.map(() => '=') : Array.isArray(ex.comps) ? ex.comps : [ex.comps];
  if (comps.length !== fields.length) {
    messages.error('LOAD_ERR_VALIDATE', `exception '${ex.name}': fields and comps lists must have the same length`, ex.context);
    return undefined;
  }
  for (const [i, f] of fields.entries()) {
    if (!FIELD_NAME.test(f)) {
      messages.error('LOAD_ERR_VALIDATE', `exception '${ex.name}': '${f}' is not a field name`, ex.context);
      return undefined;
    }
    if (!validOperator(comps[i] as string)) {
      messages.error('LOAD_ERR_VALIDATE', `exception '${ex.name}': '${comps[i]}' is not a known operator`, ex.context);
      return undefined;
    }
  }
  const tuples: string[] = [];
  for (const tuple of ex.values) {
    if (!Array.isArray(tuple) || tuple.length !== fields.length) {
      messages.error('LOAD_ERR_VALIDATE', `exception '${ex.name}': each value must be a list of ${fields.length} element(s)`, ex.context);
      return undefined;
    }
    const parts = fields.map((f, i) => {
      const comp = comps[i] as string;
      const v: unknown = tuple[i];
      let rhs: string;
      if (Array.isArray(v)) rhs = listText(v);
      else if (takesList(comp)) rhs = `(${String(v)})`;
      else rhs = valueText(v);
      return `${f} ${comp} ${rhs}`;
    });
    tuples.push(`(${parts.join(' and ')})`);
  }
  return `(${tuples.join(' or ')})`;
}
