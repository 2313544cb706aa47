import { readFileSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments, type Node, type YAMLMap } from 'yaml';
import type { ItemContext, LoadMessages } from './load-result.js';

/**
 * Reads a rules file into top-level items (YAML maps) with their positions. Knows YAML and
 * nothing about what lists, macros and rules mean; the collector does.
 */

export type ItemKind = 'list' | 'macro' | 'rule' | 'chain' | 'required_engine_version' | 'required_plugin_versions';

const ITEM_KINDS: readonly ItemKind[] = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule', 'chain'];

export interface RawItem {
  kind: ItemKind;
  /** The item as plain data. */
  data: Record<string, unknown>;
  context: ItemContext;
  /** Position of one key's value, for messages about that key (e.g. a condition). */
  keyContext(key: string): ItemContext;
  /** Position of a nested value, e.g. `['steps', 1, 'condition']`. */
  pathContext(path: (string | number)[]): ItemContext;
  file: string;
}

const SNIPPET_MAX = 160;

export function readRulesFile(path: string, messages: LoadMessages): RawItem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    messages.error('LOAD_ERR_FILE_READ', `cannot read rules file: ${(err as Error).message}`, {
      file: path,
      line: 0,
      column: 0,
      snippet: '',
    });
    return [];
  }
  return readRulesText(text, path, messages);
}

/** Reads rules from a string (tests load inline YAML this way). */
export function readRulesText(text: string, file: string, messages: LoadMessages): RawItem[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, prettyErrors: false });
  const contextAt = (offset: number, extra: Partial<ItemContext> = {}): ItemContext => {
    const p = lines.linePos(offset);
    const lineStart = offset - (p.col - 1);
    const lineEnd = text.indexOf('\n', offset);
    return {
      file,
      line: p.line,
      column: p.col,
      snippet: text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).slice(0, SNIPPET_MAX),
      ...extra,
    };
  };
  const items: RawItem[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) messages.error('LOAD_ERR_YAML_PARSE', e.message.split('\n')[0] ?? e.message, contextAt(e.pos[0]));
      continue;
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && root.value === null)) continue;
    if (!isSeq(root)) {
      messages.error('LOAD_ERR_YAML_VALIDATE', 'rules content is not a yaml array of objects', contextAt(rangeStart(root)));
      continue;
    }
    for (const node of root.items) {
      const start = rangeStart(node as Node);
      if (!isMap(node)) {
        messages.error('LOAD_ERR_YAML_VALIDATE', 'unexpected element type: each element must be a map', contextAt(start));
        continue;
      }
      const data = node.toJS(doc) as Record<string, unknown>;
      const kind = ITEM_KINDS.find((k) => k in data);
      const itemSnippet = text.slice(start, (node.range?.[1] ?? start) as number).slice(0, SNIPPET_MAX);
      const name = kind && kind !== 'required_engine_version' && kind !== 'required_plugin_versions' ? String(data[kind]) : undefined;
      const base = { ...contextAt(start), snippet: itemSnippet, itemType: kind ?? 'unknown', ...(name !== undefined ? { itemName: name } : {}) };
      if (!kind) {
        messages.warn('LOAD_UNKNOWN_ITEM', 'unknown top level item', base);
        continue;
      }
      items.push({
        kind,
        data,
        context: base,
        keyContext: (key: string) => pathContext(node, [key], base, contextAt),
        pathContext: (path: (string | number)[]) => pathContext(node, path, base, contextAt),
        file,
      });
    }
  }
  return items;
}

function rangeStart(node: Node | null | undefined): number {
  return node?.range?.[0] ?? 0;
}

function pathContext(
  node: YAMLMap,
  path: (string | number)[],
  base: ItemContext,
  contextAt: (offset: number, extra?: Partial<ItemContext>) => ItemContext,
): ItemContext {
  const value = node.getIn(path, true) as Node | undefined;
  if (!value?.range) return base;
  const ctx = contextAt(value.range[0]);
  return { ...base, line: ctx.line, column: ctx.column, snippet: ctx.snippet };
}
