import type { ListDef } from './definitions.js';

/**
 * Lists are expanded as text before a condition is parsed, as Falco does: every occurrence of a
 * list name delimited by the string's ends, blanks, "(", ")", "," or "=" becomes the list's
 * items joined by ", ". Items that name other lists are spliced in (with a cycle guard); items
 * with a blank are quoted unless already quoted; an empty list disappears with one adjacent comma.
 */

const DELIMITER = /[ \t\r\n(),=]/;

export class ListExpander {
  private readonly flat = new Map<string, string[]>();
  readonly used = new Set<string>();

  constructor(private readonly lists: ReadonlyMap<string, ListDef>) {}

  has(name: string): boolean {
    return this.lists.has(name);
  }

  /** The list's items with nested list names spliced in, each ready to paste into a condition. */
  items(name: string, stack: string[] = []): string[] {
    const cached = this.flat.get(name);
    if (cached) return cached;
    const def = this.lists.get(name);
    if (!def) return [];
    const out: string[] = [];
    for (const item of def.items) {
      if (this.lists.has(item) && item !== name && !stack.includes(item)) {
        this.used.add(item);
        out.push(...this.items(item, [...stack, name]));
      } else {
        out.push(pasteable(item));
      }
    }
    this.flat.set(name, out);
    return out;
  }

  /** Replaces list names in `condition` by their items. */
  expand(condition: string): string {
    let out = '';
    let i = 0;
    while (i < condition.length) {
      if (DELIMITER.test(condition[i] as string)) {
        out += condition[i];
        i++;
        continue;
      }
      let j = i;
      while (j < condition.length && !DELIMITER.test(condition[j] as string)) j++;
      const token = condition.slice(i, j);
      if (!this.lists.has(token)) {
        out += token;
        i = j;
        continue;
      }
      this.used.add(token);
      const items = this.items(token);
      if (items.length > 0) {
        out += items.join(', ');
        i = j;
        continue;
      }
      // Empty list: drop the name and one adjacent comma (the following one, else the preceding one).
      let k = j;
      while (k < condition.length && /[ \t\r\n]/.test(condition[k] as string)) k++;
      if (condition[k] === ',') {
        i = k + 1;
        continue;
      }
      out = out.replace(/,[ \t\r\n]*$/, '');
      i = j;
    }
    return out;
  }
}

function pasteable(item: string): string {
  const quoted = (item.startsWith('"') && item.endsWith('"')) || (item.startsWith("'") && item.endsWith("'"));
  if (quoted && item.length >= 2) return item;
  return /[ \t]/.test(item) ? `"${item}"` : item;
}
