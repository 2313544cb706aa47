import { parsePriority } from '../priority.js';
import { ChainCollector } from './chain-collector.js';
import type { ChainDef, ExceptionDef, ListDef, MacroDef, PluginRequirement, RuleDef } from './definitions.js';
import { ENGINE_VERSION, engineSatisfies, parseEngineVersion } from './engine-version.js';
import type { ItemContext, LoadMessages } from './load-result.js';
import type { RawItem } from './rules-file-reader.js';

/**
 * Turns items into definitions in load order, the way Falco's rule_loader::collector does:
 * later items with the same name redefine (keeping the original position) unless they append
 * or override; `append` / `override` follow current Falco semantics (docs/falco-rules.md §1.5).
 */

type OverrideMode = 'append' | 'replace';

const LIST_KEYS = { append: ['items'], replace: ['items'] };
const MACRO_KEYS = { append: ['condition'], replace: ['condition'] };
const RULE_KEYS = {
  append: ['condition', 'output', 'desc', 'tags', 'exceptions'],
  replace: [
    'condition',
    'output',
    'desc',
    'priority',
    'tags',
    'exceptions',
    'enabled',
    'warn_evttypes',
    'capture',
    'capture_duration',
    'skip-if-unknown-filter',
  ],
};
const RULE_KNOWN_KEYS = new Set([
  'rule',
  'condition',
  'output',
  'desc',
  'priority',
  'enabled',
  'tags',
  'source',
  'exceptions',
  'capture',
  'capture_duration',
  'warn_evttypes',
  'skip-if-unknown-filter',
  'override',
  'append',
]);

const MACRO_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LIST_NAME = /^[^ \t\b\r\n(),="']+$/;

export class RuleCollector {
  readonly lists = new Map<string, ListDef>();
  readonly macros = new Map<string, MacroDef>();
  readonly rules = new Map<string, RuleDef>();
  readonly requiredPlugins: PluginRequirement[] = [];
  private nextIndex = 0;
  private readonly chainCollector: ChainCollector;

  constructor(private readonly messages: LoadMessages) {
    this.chainCollector = new ChainCollector(messages, () => this.nextIndex++);
  }

  get chains(): ReadonlyMap<string, ChainDef> {
    return this.chainCollector.chains;
  }

  collect(items: RawItem[]): void {
    for (const item of items) {
      switch (item.kind) {
        case 'required_engine_version':
          this.engineVersion(item);
          break;
        case 'required_plugin_versions':
          this.pluginVersions(item);
          break;
        case 'list':
          this.list(item);
          break;
        case 'macro':
          this.macro(item);
          break;
        case 'rule':
          this.rule(item);
          break;
        case 'chain':
          this.chainCollector.collect(item);
          break;
      }
    }
  }

  // ---- required versions

  private engineVersion(item: RawItem): void {
    const required = parseEngineVersion(item.data.required_engine_version);
    if (!required) {
      this.messages.error('LOAD_ERR_VALIDATE', `cannot parse required_engine_version '${String(item.data.required_engine_version)}'`, item.context);
      return;
    }
    if (!engineSatisfies(required)) {
      this.messages.error('LOAD_ERR_VALIDATE', `rules require engine version ${required.join('.')}, but engine version is ${ENGINE_VERSION}`, item.context);
    }
  }

  private pluginVersions(item: RawItem): void {
    const value = item.data.required_plugin_versions;
    if (!Array.isArray(value)) {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', 'required_plugin_versions must be a list of {name, version}', item.context);
      return;
    }
    for (const entry of value) {
      const e = entry as Record<string, unknown>;
      if (typeof e?.name !== 'string' || e.version === undefined) {
        this.messages.error('LOAD_ERR_YAML_VALIDATE', 'each required plugin needs a name and a version', item.context);
        continue;
      }
      const alternatives = Array.isArray(e.alternatives)
        ? (e.alternatives as Record<string, unknown>[]).map((a) => ({ name: String(a.name), version: String(a.version) }))
        : [];
      this.requiredPlugins.push({ name: e.name, version: String(e.version), alternatives, context: item.context });
    }
  }

  // ---- lists

  private list(item: RawItem): void {
    const name = this.itemName(item, 'list');
    if (name === undefined) return;
    if (!LIST_NAME.test(name)) this.messages.warn('LOAD_INVALID_LIST_NAME', `list name '${name}' cannot be used in a condition`, item.context);
    const mode = this.overrideModes(item, 'list', LIST_KEYS);
    if (!mode) return;
    const items = this.listItems(item);
    if (!items) return;
    const existing = this.lists.get(name);
    const op = mode.get('items');
    if (op) {
      if (!existing) return this.missingTarget(item, 'list', name, op);
      existing.items = op === 'append' ? [...existing.items, ...items] : items;
      if (op === 'append' && items.length === 0) this.messages.warn('LOAD_APPEND_NO_VALUES', 'overriding/appending list with no values', item.context);
      return;
    }
    this.lists.set(name, { name, items, index: existing?.index ?? this.nextIndex++, context: item.context });
  }

  private listItems(item: RawItem): string[] | undefined {
    const raw = item.data.items;
    if (raw === null || raw === undefined) return [];
    if (!Array.isArray(raw)) {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', "value of 'items' must be a list", item.keyContext('items'));
      return undefined;
    }
    return raw.map((v) => scalarText(v));
  }

  // ---- macros

  private macro(item: RawItem): void {
    const name = this.itemName(item, 'macro');
    if (name === undefined) return;
    if (!MACRO_NAME.test(name)) this.messages.warn('LOAD_INVALID_MACRO_NAME', `macro name '${name}' is not a valid identifier`, item.context);
    const mode = this.overrideModes(item, 'macro', MACRO_KEYS);
    if (!mode) return;
    const condition = this.requiredString(item, 'condition');
    if (condition === undefined) return;
    const existing = this.macros.get(name);
    const op = mode.get('condition');
    if (op) {
      if (!existing) return this.missingTarget(item, 'macro', name, op);
      existing.condition = op === 'append' ? `${existing.condition} ${condition}` : condition;
      return;
    }
    this.macros.set(name, {
      name,
      condition,
      index: existing?.index ?? this.nextIndex++,
      context: item.context,
      conditionContext: item.keyContext('condition'),
    });
  }

  // ---- rules

  private rule(item: RawItem): void {
    const name = this.itemName(item, 'rule');
    if (name === undefined) return;
    for (const key of Object.keys(item.data)) {
      if (!RULE_KNOWN_KEYS.has(key)) this.messages.warn('LOAD_UNKNOWN_ITEM', `unknown key '${key}' ignored`, item.keyContext(key));
    }
    const mode = this.overrideModes(item, 'rule', RULE_KEYS);
    if (!mode) return;
    const existing = this.rules.get(name);
    const d = item.data;
    if (mode.size > 0) {
      if (!existing) return this.missingTarget(item, 'rule', name, [...mode.values()][0] as OverrideMode);
      this.changeRule(existing, item, mode);
      return;
    }
    const defines = ['condition', 'output', 'desc', 'priority'].some((k) => k in d);
    if (!defines && 'enabled' in d) {
      // Deprecated form: a rule item with only `enabled` toggles an existing rule.
      if (!existing) {
        this.messages.error('LOAD_ERR_VALIDATE', `rule '${name}' has 'enabled' key but no rule by that name already exists`, item.context);
        return;
      }
      this.messages.warn('LOAD_DEPRECATED_ITEM', "using 'enabled' alone to toggle a rule is deprecated; use override: {enabled: replace}", item.context);
      const enabled = this.boolKey(item, 'enabled');
      if (enabled !== undefined) existing.enabled = enabled;
      existing.files.push(item.context.file);
      return;
    }
    const condition = this.requiredString(item, 'condition');
    const output = this.requiredString(item, 'output', true);
    const desc = this.requiredString(item, 'desc', true);
    const priorityText = this.requiredString(item, 'priority');
    if (condition === undefined || output === undefined || desc === undefined || priorityText === undefined) return;
    const priority = parsePriority(priorityText);
    if (!priority) {
      this.messages.error('LOAD_ERR_VALIDATE', `invalid priority '${priorityText}'`, item.keyContext('priority'));
      return;
    }
    const enabled = 'enabled' in d ? this.boolKey(item, 'enabled') : true;
    const tags = this.tags(item);
    const exceptions = this.exceptions(item);
    if (enabled === undefined || !tags || !exceptions) return;
    const source = d.source === undefined ? 'syscall' : String(d.source);
    this.rules.set(name, {
      name,
      condition,
      output: output.trim(),
      desc: desc.trim(),
      priority,
      enabled,
      tags,
      source,
      exceptions,
      skipIfUnknownFilter: d['skip-if-unknown-filter'] === true,
      index: existing?.index ?? this.nextIndex++,
      files: [item.context.file],
      context: item.context,
      conditionContext: item.keyContext('condition'),
    });
  }

  private changeRule(rule: RuleDef, item: RawItem, mode: Map<string, OverrideMode>): void {
    const d = item.data;
    rule.files.push(item.context.file);
    for (const [key, op] of mode) {
      const append = op === 'append';
      switch (key) {
        case 'condition': {
          const v = this.requiredString(item, 'condition');
          if (v !== undefined) rule.condition = append ? `${rule.condition} ${v}` : v;
          if (!append) rule.conditionContext = item.keyContext('condition');
          break;
        }
        case 'output':
        case 'desc': {
          const v = this.requiredString(item, key, true);
          if (v !== undefined) rule[key] = append ? `${rule[key]} ${v.trim()}` : v.trim();
          break;
        }
        case 'priority': {
          const v = parsePriority(String(d.priority));
          if (!v) this.messages.error('LOAD_ERR_VALIDATE', `invalid priority '${String(d.priority)}'`, item.keyContext('priority'));
          else rule.priority = v;
          break;
        }
        case 'tags': {
          const tags = this.tags(item);
          if (tags) rule.tags = append ? [...new Set([...rule.tags, ...tags])] : tags;
          break;
        }
        case 'enabled': {
          const v = this.boolKey(item, 'enabled');
          if (v !== undefined) rule.enabled = v;
          break;
        }
        case 'skip-if-unknown-filter':
          rule.skipIfUnknownFilter = d[key] === true;
          break;
        case 'exceptions': {
          const incoming = this.exceptions(item);
          if (incoming) rule.exceptions = append ? this.appendExceptions(rule.exceptions, incoming) : incoming;
          break;
        }
        default:
          // warn_evttypes, capture, capture_duration: accepted, no effect on evaluation after the fact.
          break;
      }
    }
  }

  private appendExceptions(current: ExceptionDef[], incoming: ExceptionDef[]): ExceptionDef[] {
    const out = current.map((e) => ({ ...e, values: [...e.values] }));
    for (const inc of incoming) {
      const same = out.find((e) => e.name === inc.name);
      if (!same) {
        out.push(inc);
        continue;
      }
      const changed =
        (inc.fields !== undefined && JSON.stringify(inc.fields) !== JSON.stringify(same.fields)) ||
        (inc.comps !== undefined && JSON.stringify(inc.comps) !== JSON.stringify(same.comps));
      if (changed) {
        this.messages.error('LOAD_ERR_VALIDATE', `cannot change the fields or comps of existing exception '${inc.name}' when appending`, inc.context);
        continue;
      }
      same.values.push(...inc.values);
    }
    return out;
  }

  private exceptions(item: RawItem): ExceptionDef[] | undefined {
    const raw = item.data.exceptions;
    if (raw === undefined || raw === null) return [];
    const ctx = item.keyContext('exceptions');
    if (!Array.isArray(raw)) {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', "value of 'exceptions' must be a list", ctx);
      return undefined;
    }
    const out: ExceptionDef[] = [];
    const seen = new Set<string>();
    for (const e of raw as Record<string, unknown>[]) {
      if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || e.name === '') {
        this.messages.error('LOAD_ERR_YAML_VALIDATE', 'each exception needs a name', ctx);
        return undefined;
      }
      if (seen.has(e.name)) this.messages.warn('LOAD_EXCEPTION_NAME_NOT_UNIQUE', `multiple definitions of exception '${e.name}' in the same rule`, ctx);
      seen.add(e.name);
      const fields = e.fields === undefined ? undefined : Array.isArray(e.fields) ? e.fields.map(String) : String(e.fields);
      const comps = e.comps === undefined ? undefined : Array.isArray(e.comps) ? e.comps.map(String) : String(e.comps);
      const values = e.values === undefined || e.values === null ? [] : e.values;
      if (!Array.isArray(values)) {
        this.messages.error('LOAD_ERR_YAML_VALIDATE', `values of exception '${e.name}' must be a list`, ctx);
        return undefined;
      }
      out.push({ name: e.name, fields, comps, values, context: ctx });
    }
    return out;
  }

  // ---- shared helpers

  private itemName(item: RawItem, key: 'list' | 'macro' | 'rule'): string | undefined {
    const v = item.data[key];
    if (typeof v !== 'string' && typeof v !== 'number') {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', `mapping for key '${key}' is empty`, item.context);
      return undefined;
    }
    const name = String(v);
    if (name === '') {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', `mapping for key '${key}' is empty`, item.context);
      return undefined;
    }
    return name;
  }

  /**
   * The append/replace mode of each key the item changes; empty for a plain definition;
   * undefined (after an error) when the item mixes forms or names keys it may not change.
   */
  private overrideModes(item: RawItem, type: string, allowed: { append: string[]; replace: string[] }): Map<string, OverrideMode> | undefined {
    const d = item.data;
    const modes = new Map<string, OverrideMode>();
    if ('append' in d && 'override' in d) {
      this.messages.error('LOAD_ERR_VALIDATE', "keys 'override' and 'append: true' cannot be used together", item.context);
      return undefined;
    }
    if ('append' in d) {
      if (d.append !== true) return modes;
      this.messages.warn('LOAD_DEPRECATED_ITEM', "'append' key is deprecated; use 'override' instead", item.keyContext('append'));
      const legacy = type === 'rule' ? ['condition', 'exceptions'] : allowed.append;
      for (const key of Object.keys(d)) {
        if (key === type || key === 'append') continue;
        if (!legacy.includes(key)) {
          this.messages.error('LOAD_ERR_VALIDATE', `key '${key}' cannot be appended to with 'append: true'`, item.keyContext(key));
          return undefined;
        }
        modes.set(key, 'append');
      }
      if (modes.size === 0) this.messages.warn('LOAD_APPEND_NO_VALUES', `appending to ${type} with no values`, item.context);
      return modes.size > 0 ? modes : undefined;
    }
    if (!('override' in d)) return modes;
    const ov = d.override;
    const ctx = item.keyContext('override');
    if (typeof ov !== 'object' || ov === null || Array.isArray(ov)) {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', "value of 'override' must be a map of key: append|replace", ctx);
      return undefined;
    }
    for (const [key, value] of Object.entries(ov as Record<string, unknown>)) {
      if (value !== 'append' && value !== 'replace') {
        this.messages.error('LOAD_ERR_VALIDATE', `override mode of '${key}' must be 'append' or 'replace', got '${String(value)}'`, ctx);
        return undefined;
      }
      if (!allowed[value].includes(key)) {
        this.messages.error('LOAD_ERR_VALIDATE', `key '${key}' cannot be ${value === 'append' ? 'appended to' : 'replaced'} in a ${type}`, ctx);
        return undefined;
      }
      if (!(key in d)) {
        this.messages.error('LOAD_ERR_VALIDATE', `an ${value} override is listed for '${key}' but the item does not define '${key}'`, ctx);
        return undefined;
      }
      modes.set(key, value);
    }
    for (const key of Object.keys(d)) {
      if (key === type || key === 'override' || modes.has(key)) continue;
      if (type === 'rule' && !RULE_KNOWN_KEYS.has(key)) continue; // already warned as unknown
      this.messages.error('LOAD_ERR_VALIDATE', `key '${key}' is defined but has no override mode (append or replace)`, item.keyContext(key));
      return undefined;
    }
    return modes;
  }

  private missingTarget(item: RawItem, type: string, name: string, op: OverrideMode): void {
    const key = op === 'append' ? 'append' : 'override';
    this.messages.error('LOAD_ERR_VALIDATE', `${type} '${name}' has '${key}' key but no ${type} by that name already exists`, item.context);
  }

  private requiredString(item: RawItem, key: string, allowEmpty = false): string | undefined {
    const v = item.data[key];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '' && !allowEmpty)) {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', `item has no mapping for key '${key}'`, item.context);
      return undefined;
    }
    if (typeof v === 'object') {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', `value of '${key}' must be a string`, item.keyContext(key));
      return undefined;
    }
    return String(v);
  }

  private boolKey(item: RawItem, key: string): boolean | undefined {
    const v = item.data[key];
    if (typeof v === 'boolean') return v;
    this.messages.error('LOAD_ERR_YAML_VALIDATE', `value of '${key}' must be true or false`, item.keyContext(key));
    return undefined;
  }

  private tags(item: RawItem): string[] | undefined {
    const raw = item.data.tags;
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) {
      this.messages.error('LOAD_ERR_YAML_VALIDATE', "value of 'tags' must be a list", item.keyContext('tags'));
      return undefined;
    }
    return [...new Set(raw.map((t) => scalarText(t)))];
  }
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export type { ItemContext };
