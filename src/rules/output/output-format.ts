import type { Operand } from '../condition/ast.js';
import { parseCondition } from '../condition/parser.js';
import { lookupField } from '../../fields/lookup-field.js';

/**
 * A rule's `output` as literal text and `%field` tokens (Falco's format strings). A token is the
 * longest text after `%` that reads as a field (`%proc.aname[2]`) or a transformer
 * (`%toupper(user.name)`); an optional width (`%12proc.name`) pads the value.
 */
export type OutputPart = { kind: 'text'; text: string } | { kind: 'field'; text: string; operand: Operand; width?: number; scope?: string };

const FIELD_AT = /([a-zA-Z][a-zA-Z0-9_]*(?:\.[a-zA-Z0-9_]+)+)(\[[^\]]*\])?/y;
const TRANSFORMER_AT = /(tolower|toupper|b64|basename|len)\(/y;

/** Fields Falco no longer prints; the container plugin's suggested output fields replace it. */
const STRIPPED = new Set(['container.info']);

/**
 * `scopes` are names a token may start with (`%fetch.proc.cmdline`: the chain step `fetch`);
 * the part then carries the scope and the field without it.
 */
export function parseOutputFormat(format: string, scopes: readonly string[] = []): OutputPart[] {
  const parts: OutputPart[] = [];
  let text = '';
  let i = 0;
  while (i < format.length) {
    if (format[i] !== '%') {
      text += format[i];
      i++;
      continue;
    }
    const scope = scopeAt(format, i + 1, scopes);
    const token = readToken(format, i + 1 + (scope ? scope.length + 1 : 0));
    if (!token) {
      text += '%';
      i++;
      continue;
    }
    if (text) parts.push({ kind: 'text', text });
    text = '';
    if (!STRIPPED.has(token.text)) {
      parts.push({ kind: 'field', text: token.text, operand: token.operand, ...(token.width ? { width: token.width } : {}), ...(scope ? { scope } : {}) });
    }
    i = token.end;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

function scopeAt(s: string, start: number, scopes: readonly string[]): string | undefined {
  return scopes.find((name) => s.startsWith(`${name}.`, start));
}

function readToken(s: string, start: number): { text: string; operand: Operand; width?: number; end: number } | null {
  let i = start;
  const widthMatch = /\d+/y;
  widthMatch.lastIndex = i;
  const w = widthMatch.exec(s);
  const width = w ? Number(w[0]) : undefined;
  if (w) i += w[0].length;
  TRANSFORMER_AT.lastIndex = i;
  if (TRANSFORMER_AT.exec(s)) {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      if (s[j] === '(') depth++;
      if (s[j] === ')' && --depth === 0) {
        const text = s.slice(i, j + 1);
        const operand = operandOf(text);
        if (operand) return { text, operand, ...(width ? { width } : {}), end: j + 1 };
        break;
      }
    }
    return null;
  }
  FIELD_AT.lastIndex = i;
  const m = FIELD_AT.exec(s);
  if (!m || m[1] === undefined) return null;
  // Longest prefix that names a known field: `%proc.name.` stops before the dot it cannot use.
  let name = m[1];
  const arg = m[2];
  while (!knownField(name) && name.includes('.') && arg === undefined) {
    const shorter = name.slice(0, name.lastIndexOf('.'));
    if (!shorter.includes('.') || !knownField(shorter)) break;
    name = shorter;
  }
  const text = arg !== undefined && name === m[1] ? `${name}${arg}` : name;
  const operand = operandOf(text) ?? { kind: 'field' as const, pos: { offset: 0, line: 1, col: 1 }, name };
  return { text, operand, ...(width ? { width } : {}), end: i + text.length };
}

function knownField(name: string): boolean {
  return lookupField(name, undefined) !== undefined;
}

function operandOf(text: string): Operand | null {
  try {
    const e = parseCondition(`${text} exists`);
    return e.kind === 'unary' ? e.left : null;
  } catch {
    return null;
  }
}
