import type { Expr, Pos } from './ast.js';

/**
 * Replaces macro references by the macro's (already resolved) AST, on the AST (Falco's
 * filter_macro_resolver). Returns the resolved tree and the names it used or could not find.
 */
export interface MacroResolution {
  expr: Expr;
  used: Set<string>;
  unknown: { name: string; pos: Pos }[];
}

export function resolveMacros(expr: Expr, lookup: (name: string) => Expr | undefined): MacroResolution {
  const used = new Set<string>();
  const unknown: { name: string; pos: Pos }[] = [];
  const visit = (e: Expr): Expr => {
    switch (e.kind) {
      case 'and':
      case 'or':
        return { ...e, children: e.children.map(visit) };
      case 'not':
        return { ...e, child: visit(e.child) };
      case 'macro': {
        const body = lookup(e.name);
        if (!body) {
          unknown.push({ name: e.name, pos: e.pos });
          return e;
        }
        used.add(e.name);
        return body;
      }
      case 'unary':
      case 'binary':
        return e;
    }
  };
  return { expr: visit(expr), used, unknown };
}
