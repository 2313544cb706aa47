import { parsePriority } from '../priority.js';
import { CHAIN_RELATION_KINDS, type ChainDef, type ChainRelation, type ChainStepDef, type ChainUnlessDef } from './definitions.js';
import { parseDuration } from './duration.js';
import type { ItemContext, LoadMessages } from './load-result.js';
import type { RawItem } from './rules-file-reader.js';

/**
 * Turns `chain` items into definitions (docs/chains.md), checking what YAML alone cannot:
 * step names, relations that point to earlier steps, the window, the `unless` bounds. A later
 * chain with the same name replaces the earlier one; `override: {enabled: replace}` toggles one.
 */

const CHAIN_KEYS = new Set(['chain', 'desc', 'steps', 'within', 'unless', 'output', 'priority', 'tags', 'enabled', 'override']);
const STEP_KEYS = new Set(['step', 'condition', ...CHAIN_RELATION_KINDS]);
const UNLESS_KEYS = new Set(['condition', 'after', 'before', ...CHAIN_RELATION_KINDS]);
const STEP_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Field classes: a step named like one would make `%proc.name` ambiguous in outputs. */
const RESERVED_STEP_NAMES = new Set(['proc', 'evt', 'container', 'user', 'group', 'thread', 'fd', 'fs', 'k8s', 'syscall', 'span', 'process', 'chain']);

export class ChainCollector {
  readonly chains = new Map<string, ChainDef>();

  constructor(
    private readonly messages: LoadMessages,
    private readonly nextIndex: () => number,
  ) {}

  collect(item: RawItem): void {
    const name = typeof item.data.chain === 'string' || typeof item.data.chain === 'number' ? String(item.data.chain) : '';
    if (name === '') return this.error("mapping for key 'chain' is empty", item.context);
    if ('override' in item.data) return this.override(item, name);
    for (const key of Object.keys(item.data)) {
      if (!CHAIN_KEYS.has(key)) this.messages.warn('LOAD_UNKNOWN_ITEM', `unknown key '${key}' in chain ignored`, item.keyContext(key));
    }
    const desc = this.text(item, ['desc'], true);
    const output = this.text(item, ['output'], true);
    const priorityText = this.text(item, ['priority']);
    const withinText = this.text(item, ['within']);
    const priority = priorityText === undefined ? undefined : parsePriority(priorityText);
    if (priorityText !== undefined && !priority) this.error(`invalid priority '${priorityText}'`, item.keyContext('priority'));
    const withinNs = withinText === undefined ? undefined : parseDuration(withinText);
    if (withinText !== undefined && (withinNs === undefined || withinNs <= 0n)) {
      this.error(`cannot read 'within: ${withinText}': expected a duration such as 90s, 10m, 2h, 1d, 500ms`, item.keyContext('within'));
    }
    const steps = this.steps(item);
    const unless = steps ? this.unlessEntries(item, steps) : undefined;
    const tags = this.tags(item);
    const enabled = item.data.enabled === undefined ? true : item.data.enabled;
    if (typeof enabled !== 'boolean') this.error("value of 'enabled' must be true or false", item.keyContext('enabled'));
    if (desc === undefined || output === undefined || !priority || withinText === undefined || withinNs === undefined || withinNs <= 0n) return;
    if (!steps || !unless || !tags || typeof enabled !== 'boolean') return;
    const existing = this.chains.get(name);
    this.chains.set(name, {
      name,
      desc: desc.trim(),
      steps,
      unless,
      withinNs,
      withinText,
      output: output.trim(),
      priority,
      enabled,
      tags,
      index: existing?.index ?? this.nextIndex(),
      files: [item.context.file],
      context: item.context,
    });
  }

  private override(item: RawItem, name: string): void {
    const existing = this.chains.get(name);
    const ov = item.data.override as Record<string, unknown> | null;
    if (!existing) return this.error(`chain '${name}' has 'override' key but no chain by that name already exists`, item.context);
    const keys = typeof ov === 'object' && ov !== null ? Object.entries(ov) : [];
    if (keys.length !== 1 || keys[0]?.[0] !== 'enabled' || keys[0][1] !== 'replace' || typeof item.data.enabled !== 'boolean') {
      return this.error("a chain override may only be 'override: {enabled: replace}' with 'enabled: true|false'", item.keyContext('override'));
    }
    existing.enabled = item.data.enabled;
    existing.files.push(item.context.file);
  }

  private steps(item: RawItem): ChainStepDef[] | undefined {
    const raw = item.data.steps;
    if (!Array.isArray(raw) || raw.length < 2) {
      this.error("'steps' must be a list of at least two steps", 'steps' in item.data ? item.keyContext('steps') : item.context);
      return undefined;
    }
    const names: string[] = [];
    const out: ChainStepDef[] = [];
    let ok = true;
    raw.forEach((s: unknown, i) => {
      const ctx = item.pathContext(['steps', i]);
      if (typeof s !== 'object' || s === null || Array.isArray(s)) {
        ok = this.fail(`step ${i + 1} must be a map with 'step' and 'condition'`, ctx);
        return;
      }
      const step = s as Record<string, unknown>;
      for (const key of Object.keys(step)) {
        if (!STEP_KEYS.has(key))
          ok = this.fail(
            `unknown key '${key}' in step ${i + 1} (expected step, condition, ${CHAIN_RELATION_KINDS.join(', ')})`,
            item.pathContext(['steps', i, key]),
          );
      }
      const name = typeof step.step === 'string' ? step.step : '';
      if (!STEP_NAME.test(name)) ok = this.fail(`step ${i + 1} needs a name ('step: <identifier>'), got '${String(step.step ?? '')}'`, ctx);
      else if (RESERVED_STEP_NAMES.has(name)) ok = this.fail(`step name '${name}' is a field class; pick another name`, ctx);
      else if (names.includes(name)) ok = this.fail(`step name '${name}' is used twice`, ctx);
      const condition = this.text(item, ['steps', i, 'condition']);
      if (condition === undefined) ok = false;
      const relations = this.relations(item, ['steps', i], step, names, i > 0);
      if (!relations) ok = false;
      names.push(name);
      if (condition !== undefined && relations) {
        out.push({ name, condition, relations, context: ctx, conditionContext: item.pathContext(['steps', i, 'condition']) });
      }
    });
    return ok ? out : undefined;
  }

  private unlessEntries(item: RawItem, steps: ChainStepDef[]): ChainUnlessDef[] | undefined {
    const raw = item.data.unless;
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.error("'unless' must be a list of {condition, after, before, <relation>: step}", item.keyContext('unless'));
      return undefined;
    }
    const names = steps.map((s) => s.name);
    const out: ChainUnlessDef[] = [];
    let ok = true;
    raw.forEach((u: unknown, i) => {
      const ctx = item.pathContext(['unless', i]);
      if (typeof u !== 'object' || u === null || Array.isArray(u)) {
        ok = this.fail(`unless entry ${i + 1} must be a map`, ctx);
        return;
      }
      const entry = u as Record<string, unknown>;
      for (const key of Object.keys(entry)) {
        if (!UNLESS_KEYS.has(key)) ok = this.fail(`unknown key '${key}' in unless entry ${i + 1}`, item.pathContext(['unless', i, key]));
      }
      const after = this.stepRef(entry.after, names, 0, `unless entry ${i + 1}: 'after'`, ctx);
      const before = this.stepRef(entry.before, names, names.length - 1, `unless entry ${i + 1}: 'before'`, ctx);
      if (after === undefined || before === undefined) ok = false;
      else if (after >= before) ok = this.fail(`unless entry ${i + 1}: step '${names[after]}' must come before step '${names[before]}'`, ctx);
      const condition = this.text(item, ['unless', i, 'condition']);
      const relations = this.relations(item, ['unless', i], entry, names, true);
      if (condition === undefined || !relations) ok = false;
      if (ok && condition !== undefined && relations && after !== undefined && before !== undefined) {
        out.push({ condition, after, before, relations, context: ctx, conditionContext: item.pathContext(['unless', i, 'condition']) });
      }
    });
    return ok ? out : undefined;
  }

  /** The relations a step or unless entry names, each to a step listed in `earlier`. */
  private relations(
    item: RawItem,
    path: (string | number)[],
    entry: Record<string, unknown>,
    earlier: string[],
    required: boolean,
  ): ChainRelation[] | undefined {
    const out: ChainRelation[] = [];
    let ok = true;
    for (const kind of CHAIN_RELATION_KINDS) {
      if (!(kind in entry)) continue;
      const target = entry[kind];
      const index = typeof target === 'string' ? earlier.indexOf(target) : -1;
      if (index < 0) {
        const known = earlier.length > 0 ? earlier.map((n) => `'${n}'`).join(', ') : 'none';
        ok = this.fail(`'${kind}: ${String(target)}' must name an earlier step (earlier steps: ${known})`, item.pathContext([...path, kind]));
        continue;
      }
      out.push({ kind, step: index });
    }
    if (required && out.length === 0 && ok) {
      ok = this.fail(`needs a relation to an earlier step: one of ${CHAIN_RELATION_KINDS.map((k) => `${k}: <step>`).join(', ')}`, item.pathContext(path));
    }
    return ok ? out : undefined;
  }

  private stepRef(value: unknown, names: string[], fallback: number, what: string, ctx: ItemContext): number | undefined {
    if (value === undefined) return fallback;
    const index = typeof value === 'string' ? names.indexOf(value) : -1;
    if (index < 0) {
      this.error(`${what} names no step: '${String(value)}' (steps: ${names.join(', ')})`, ctx);
      return undefined;
    }
    return index;
  }

  private text(item: RawItem, path: (string | number)[], allowEmpty = false): string | undefined {
    let v: unknown = item.data;
    for (const k of path) v = (v as Record<string | number, unknown> | undefined)?.[k];
    const key = path.join('.');
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && !allowEmpty)) {
      this.error(`chain has no mapping for key '${key}'`, path.length > 1 ? item.pathContext(path.slice(0, -1)) : item.context);
      return undefined;
    }
    if (typeof v === 'object') {
      this.error(`value of '${key}' must be a string`, item.pathContext(path));
      return undefined;
    }
    return String(v);
  }

  private tags(item: RawItem): string[] | undefined {
    const raw = item.data.tags;
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.error("value of 'tags' must be a list", item.keyContext('tags'));
      return undefined;
    }
    return [...new Set(raw.map(String))];
  }

  private error(message: string, ctx: ItemContext): void {
    this.messages.error('LOAD_ERR_YAML_VALIDATE', message, ctx);
  }

  private fail(message: string, ctx: ItemContext): false {
    this.error(message, ctx);
    return false;
  }
}
