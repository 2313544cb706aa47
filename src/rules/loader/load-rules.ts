import type { Expr } from '../condition/ast.js';
import { walkExpr } from '../condition/ast.js';
import { resolveMacros } from '../condition/macro-resolver.js';
import { ConditionSyntaxError, parseCondition } from '../condition/parser.js';
import type { ChainDef, ChainStepDef, ChainUnlessDef, MacroDef, PluginRequirement, RuleDef } from './definitions.js';
import { conditionWithExceptions } from './exceptions.js';
import { FALCO_DEFAULTS_FILE, falcoDefaultsHowToLoad, isFalcoDefaultList, undefinedMacroHint } from './falco-defaults.js';
import { ListExpander } from './list-expansion.js';
import { LoadMessages, RulesLoadError, type ItemContext, type LoadMessage } from './load-result.js';
import { RuleCollector } from './rule-collector.js';
import { readRulesFile, readRulesText, type RawItem } from './rules-file-reader.js';

/**
 * Loads rules files in order: read → collect → expand lists → parse → resolve macros (Falco's
 * rule_loader reader/collector/compiler). Compilation to SQL happens later, per rule.
 */

export interface LoadedRule {
  def: RuleDef;
  /** Condition text after exceptions and list expansion, before macros are resolved. */
  condition: string;
  /** The resolved condition: macros replaced by their ASTs. */
  ast: Expr;
}

/** A chain step's or unless entry's condition, resolved like a rule's. */
export interface LoadedCondition<D> {
  def: D;
  condition: string;
  ast: Expr;
}

export interface LoadedChain {
  def: ChainDef;
  steps: LoadedCondition<ChainStepDef>[];
  unless: LoadedCondition<ChainUnlessDef>[];
}

export interface LoadedRuleset {
  files: string[];
  /** Every rule, enabled or not, in load order. */
  rules: LoadedRule[];
  /** Every chain rule, enabled or not, in load order (docs/chains.md). */
  chains: LoadedChain[];
  warnings: LoadMessage[];
  requiredPlugins: PluginRequirement[];
}

/** Plugins whose fields pedigree answers from its own tables. */
const PROVIDED_PLUGINS = new Set(['container']);

export interface LoadOptions {
  /** Load the lists and macros of Falco's default rules (bundled) before the files. */
  withFalcoDefaults?: boolean;
}

export function loadRulesFiles(paths: string[], options: LoadOptions = {}): LoadedRuleset {
  const messages = new LoadMessages();
  const items: RawItem[] = [];
  const all = options.withFalcoDefaults ? [FALCO_DEFAULTS_FILE, ...paths] : paths;
  for (const p of all) items.push(...readRulesFile(p, messages));
  const ruleset = finishLoad(all, items, messages);
  if (!options.withFalcoDefaults) return ruleset;
  // The bundled definitions are a library: that most of them go unused is no news.
  const warnings = ruleset.warnings.filter((w) => w.context.file !== FALCO_DEFAULTS_FILE);
  return { ...ruleset, files: paths, warnings };
}

/** Loads rules given as text (name is used in messages as the file name). */
export function loadRulesText(sources: { name: string; text: string }[]): LoadedRuleset {
  const messages = new LoadMessages();
  const items: RawItem[] = [];
  for (const s of sources) items.push(...readRulesText(s.text, s.name, messages));
  return finishLoad(
    sources.map((s) => s.name),
    items,
    messages,
  );
}

function finishLoad(files: string[], items: RawItem[], messages: LoadMessages): LoadedRuleset {
  if (messages.errors.length > 0) throw new RulesLoadError(messages.errors, messages.warnings);
  const collector = new RuleCollector(messages);
  collector.collect(items);
  for (const req of collector.requiredPlugins) {
    const names = [req.name, ...req.alternatives.map((a) => a.name)];
    if (!names.some((n) => PROVIDED_PLUGINS.has(n))) {
      messages.warn('LOAD_UNKNOWN_PLUGIN', `plugin '${req.name}' is not available; rules using its fields are not evaluable`, req.context);
    }
  }
  const lists = new ListExpander(collector.lists);
  const macrosUsed = new Set<string>();
  const macros = resolveAllMacros(collector.macros, lists, messages, macrosUsed);
  const resolveCondition = (text: string, ctx: ItemContext, itemType: string, name: string): { condition: string; ast: Expr } | undefined => {
    const condition = lists.expand(text);
    const parsed = parseOrReport(condition, ctx, itemType, name, messages);
    if (!parsed) return undefined;
    const resolved = resolveMacros(parsed, (macro) => {
      const m = macros.get(macro);
      if (m) macrosUsed.add(macro);
      return m?.ast;
    });
    for (const u of resolved.unknown) {
      messages.error('LOAD_ERR_COMPILE_CONDITION', `undefined macro '${u.name}' used in filter${undefinedMacroHint(u.name)}`, ctx);
    }
    warnUndefinedFalcoLists(text, lists, ctx, messages);
    warnUnsafeNaChecks(resolved.expr, ctx, messages);
    return { condition, ast: resolved.expr };
  };
  const rules: LoadedRule[] = [];
  const byIndex = [...collector.rules.values()].sort((a, b) => a.index - b.index);
  for (const def of byIndex) {
    const withExceptions = conditionWithExceptions(def.condition, def.exceptions, messages);
    const resolved = resolveCondition(withExceptions, def.conditionContext, 'rule', def.name);
    if (!resolved) continue;
    if (def.source !== 'syscall') {
      messages.warn('LOAD_UNKNOWN_SOURCE', `rule source '${def.source}' is not evaluated by pedigree (syscall only)`, def.context);
    }
    rules.push({ def, ...resolved });
  }
  const chains = loadChains(collector.chains, resolveCondition);
  for (const m of collector.macros.values()) {
    if (!macrosUsed.has(m.name)) messages.warn('LOAD_UNUSED_MACRO', `macro '${m.name}' is not used`, m.context);
  }
  for (const l of collector.lists.values()) {
    if (!lists.used.has(l.name)) messages.warn('LOAD_UNUSED_LIST', `list '${l.name}' is not used`, l.context);
  }
  if (messages.errors.length > 0) throw new RulesLoadError(messages.errors, messages.warnings);
  return { files, rules, chains, warnings: messages.warnings, requiredPlugins: collector.requiredPlugins };
}

type ConditionResolver = (text: string, ctx: ItemContext, itemType: string, name: string) => { condition: string; ast: Expr } | undefined;

function loadChains(defs: ReadonlyMap<string, ChainDef>, resolve: ConditionResolver): LoadedChain[] {
  const out: LoadedChain[] = [];
  for (const def of [...defs.values()].sort((a, b) => a.index - b.index)) {
    const steps = def.steps.map((s) => {
      const r = resolve(s.condition, s.conditionContext, 'chain step', `${def.name}/${s.name}`);
      return r ? { def: s, ...r } : undefined;
    });
    const unless = def.unless.map((u, i) => {
      const r = resolve(u.condition, u.conditionContext, 'chain unless', `${def.name}/unless ${i + 1}`);
      return r ? { def: u, ...r } : undefined;
    });
    if (steps.some((s) => !s) || unless.some((u) => !u)) continue;
    out.push({ def, steps: steps as LoadedCondition<ChainStepDef>[], unless: unless as LoadedCondition<ChainUnlessDef>[] });
  }
  return out;
}

interface ResolvedMacro {
  def: MacroDef;
  ast: Expr;
}

/**
 * Parses every macro and resolves its references in definition order: a macro sees only macros
 * defined before it (Falco's visibility rule), so reference loops cannot form.
 */
function resolveAllMacros(
  defs: ReadonlyMap<string, MacroDef>,
  lists: ListExpander,
  messages: LoadMessages,
  macrosUsed: Set<string>,
): Map<string, ResolvedMacro> {
  const resolved = new Map<string, ResolvedMacro>();
  const ordered = [...defs.values()].sort((a, b) => a.index - b.index);
  for (const def of ordered) {
    const parsed = parseOrReport(lists.expand(def.condition), def.conditionContext, 'macro', def.name, messages);
    if (!parsed) continue;
    const r = resolveMacros(parsed, (name) => {
      const target = resolved.get(name);
      if (target) macrosUsed.add(name);
      return target?.ast;
    });
    for (const u of r.unknown) {
      const later = defs.get(u.name);
      const why =
        later === def
          ? 'a macro cannot reference itself'
          : later
            ? `macro '${u.name}' is defined after '${def.name}'`
            : `it is not defined${undefinedMacroHint(u.name)}`;
      messages.error('LOAD_ERR_COMPILE_CONDITION', `undefined macro '${u.name}' used in filter (${why})`, def.conditionContext);
    }
    resolved.set(def.name, { def, ast: r.expr });
  }
  return resolved;
}

function parseOrReport(text: string, ctx: ItemContext, itemType: string, name: string, messages: LoadMessages): Expr | undefined {
  try {
    return parseCondition(text);
  } catch (err) {
    if (!(err instanceof ConditionSyntaxError)) throw err;
    const lineText = text.split('\n')[err.pos.line - 1] ?? '';
    const caret = `${' '.repeat(Math.max(0, err.pos.col - 1))}^`;
    messages.error('LOAD_ERR_COMPILE_CONDITION', `${itemType} '${name}': cannot parse condition: ${err.message}`, {
      ...ctx,
      snippet: `${lineText.slice(0, 160)}\n${caret.slice(0, 161)}`,
    });
    return undefined;
  }
}

/**
 * A word in a condition that names a list of Falco's default rules no loaded file defines is
 * compared as a literal word (Falco does the same), which is rarely what the author meant.
 */
function warnUndefinedFalcoLists(text: string, lists: ListExpander, ctx: ItemContext, messages: LoadMessages): void {
  const seen = new Set<string>();
  for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const word = m[0];
    if (seen.has(word)) continue;
    seen.add(word);
    if (!lists.has(word) && isFalcoDefaultList(word)) {
      messages.warn(
        'LOAD_UNDEFINED_FALCO_LIST',
        `'${word}' is compared as a literal word: no loaded file defines a list of that name. ${falcoDefaultsHowToLoad()}`,
        ctx,
      );
    }
  }
}

function warnUnsafeNaChecks(expr: Expr, ctx: ItemContext, messages: LoadMessages): void {
  walkExpr(expr, (e) => {
    if (e.kind !== 'binary' || (e.op !== '=' && e.op !== '==' && e.op !== '!=')) return;
    if (e.right.kind === 'value' && e.right.value === '<NA>') {
      messages.warn('LOAD_UNSAFE_NA_CHECK', "comparison with '<NA>': a missing value never equals '<NA>', use 'exists'", ctx);
    }
  });
}
