import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/** An exported name of a source file; `type` when it names only a type (interface or type alias). */
export interface ExportedName {
  file: string;
  name: string;
  type: boolean;
  /** Whether the file itself mentions the name outside its declaration (e.g. in an exported signature). */
  usedInFile: boolean;
}

/** Every exported name of the given files, and for each file the names other files import from it ('*' = all). */
export interface ExportGraph {
  exports: ExportedName[];
  imported: Map<string, Set<string>>;
}

const ALL = '*';

export function sourceFiles(dir: string, pattern = /\.(ts|tsx|mjs|js)$/): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name), pattern) : pattern.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx` before compiling). */
function resolveSpecifier(from: string, spec: string): string | undefined {
  const target = resolve(dirname(from), spec);
  return [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx')].find((c) => existsSync(c));
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Counts the identifiers of a file by text, to tell whether a name is used beyond its declaration. */
function identifierCounts(sf: ts.SourceFile): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (n: ts.Node): void => {
    if (ts.isIdentifier(n)) counts.set(n.text, (counts.get(n.text) ?? 0) + 1);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return counts;
}

function exportsOf(file: string, sf: ts.SourceFile): ExportedName[] {
  const counts = identifierCounts(sf);
  const out: ExportedName[] = [];
  const add = (name: string, type: boolean): void => {
    out.push({ file, name, type, usedInFile: (counts.get(name) ?? 0) > 1 });
  };
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const e of st.exportClause.elements) add(e.name.text, st.isTypeOnly || e.isTypeOnly);
      continue;
    }
    if (ts.isExportAssignment(st)) {
      add('default', false);
      continue;
    }
    if (!hasModifier(st, ts.SyntaxKind.ExportKeyword)) continue;
    if (hasModifier(st, ts.SyntaxKind.DefaultKeyword)) {
      add('default', false);
    } else if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(d.name.text, false);
    } else if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) {
      add(st.name.text, true);
    } else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
      add(st.name.text, false);
    }
  }
  return out;
}

function importsOf(file: string, sf: ts.SourceFile, mark: (target: string, name: string) => void): void {
  const target = (spec: ts.Node | undefined): string | undefined =>
    spec && ts.isStringLiteral(spec) && spec.text.startsWith('.') ? resolveSpecifier(file, spec.text) : undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n)) {
      const to = target(n.moduleSpecifier);
      const clause = n.importClause;
      if (to && !clause) mark(to, ALL); // import for side effects
      if (to && clause?.name) mark(to, 'default');
      const bindings = clause?.namedBindings;
      if (to && bindings && ts.isNamespaceImport(bindings)) mark(to, ALL);
      if (to && bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) mark(to, (e.propertyName ?? e.name).text);
    } else if (ts.isExportDeclaration(n) && n.moduleSpecifier) {
      const to = target(n.moduleSpecifier);
      const clause = n.exportClause;
      if (to && clause && ts.isNamedExports(clause)) for (const e of clause.elements) mark(to, (e.propertyName ?? e.name).text);
      else if (to) mark(to, ALL);
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
      const to = target(n.argument.literal);
      if (to) mark(to, ALL);
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const to = target(n.arguments[0]);
      if (to) mark(to, ALL);
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
}

/** Reads `exporters` for their exports and `importers` (which may include them) for their relative imports. */
export function exportGraph(exporters: string[], importers: string[]): ExportGraph {
  const parsed = new Map<string, ts.SourceFile>();
  const parse = (file: string): ts.SourceFile => {
    let sf = parsed.get(file);
    if (!sf) {
      const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
      sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, kind);
      parsed.set(file, sf);
    }
    return sf;
  };
  const imported = new Map<string, Set<string>>();
  const mark = (target: string, name: string): void => {
    let names = imported.get(target);
    if (!names) imported.set(target, (names = new Set()));
    names.add(name);
  };
  for (const file of importers) importsOf(file, parse(file), mark);
  return { exports: exporters.flatMap((file) => exportsOf(file, parse(file))), imported };
}

/**
 * Exports no other file imports. A type that the file itself uses (in an exported signature,
 * say) may stay exported so callers can name it; a value or an otherwise unused type may not.
 */
export function unusedExports(graph: ExportGraph): ExportedName[] {
  return graph.exports.filter((e) => {
    const names = graph.imported.get(e.file);
    if (names?.has(ALL) || names?.has(e.name)) return false;
    return !(e.type && e.usedInFile);
  });
}
