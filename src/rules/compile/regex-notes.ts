import { walkExpr, type Expr, type ValueExpr } from '../condition/ast.js';
import { nestedRepetition } from '../../util/match/regex-bound.js';

/**
 * What `rules check` / `chains check` say of each `regex` pattern in a condition: the bound
 * pedigree applies (docs/reliability.md, "regex"). A pattern whose repeated group itself repeats
 * or alternates is refused when the rule runs (the rule fails, the others run); any other runs as
 * an anchored JavaScript regular expression, stopped only by --rule-timeout.
 */
export function regexNotes(...conditions: Expr[]): string[] {
  const notes = new Map<string, string>();
  for (const ast of conditions) {
    walkExpr(ast, (e) => {
      if (e.kind !== 'binary' || e.op !== 'regex') return;
      const values: ValueExpr[] = e.right.kind === 'value' ? [e.right] : e.right.kind === 'list' ? e.right.items : [];
      for (const { value } of values) {
        if (notes.has(value)) continue;
        const refused = nestedRepetition(value);
        notes.set(
          value,
          refused !== null
            ? `regex ${JSON.stringify(value)} is refused when the rule runs: ${refused} (JavaScript's engine backtracks; Falco's RE2 does not)`
            : `regex ${JSON.stringify(value)} runs as an anchored JavaScript regular expression, bounded by --rule-timeout (patterns whose repeated group repeats or alternates are refused)`,
        );
      }
    });
  }
  return [...notes.values()];
}
