/**
 * SQLite-style placeholders (`?`, `:name`, `@name`, `$name`) → PostgreSQL's `$1`, `$2`, … for
 * the SQL text the commands write by hand. Quoted strings, quoted identifiers, comments and
 * `::` casts are left alone. Named placeholders bind from an object, by name, once each.
 */
export interface Rewritten {
  sql: string;
  /** For each `$n` in order: the positional index it takes, or the name it binds. */
  slots: (number | string)[];
}

const cache = new Map<string, Rewritten>();

export function rewritePlaceholders(source: string): Rewritten {
  const hit = cache.get(source);
  if (hit) return hit;
  const sql = sqliteHintsDropped(source);
  let out = '';
  const slots: (number | string)[] = [];
  const named = new Map<string, number>();
  let positional = 0;
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    if (ch === "'" || ch === '"') {
      const end = closingQuote(sql, i, ch);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (ch === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
    } else if (ch === '?') {
      // SQLite numbers a bare ? one past the largest number used so far.
      const m = /^\?(\d+)/.exec(sql.slice(i));
      const index = m ? Number(m[1]) - 1 : positional;
      positional = Math.max(positional, index + 1);
      slots.push(index);
      out += `$${slots.length}`;
      i += m ? m[0].length : 1;
    } else if ((ch === ':' || ch === '@' || ch === '$') && /[A-Za-z_]/.test(sql[i + 1] ?? '') && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const m = /^[:@$]([A-Za-z_]\w*)/.exec(sql.slice(i)) as RegExpExecArray;
      const name = m[1] as string;
      let n = named.get(name);
      if (n === undefined) {
        slots.push(name);
        n = slots.length;
        named.set(name, n);
      }
      out += `$${n}`;
      i += m[0].length;
    } else {
      out += ch;
      i++;
    }
  }
  const result = { sql: out, slots };
  if (cache.size > 500) cache.clear();
  cache.set(source, result);
  return result;
}

/**
 * SQLite-only spellings in the hand-written queries: `exec_rows` (SQLite's narrow storage of
 * execs; PostgreSQL stores execs itself), `INDEXED BY` and `CROSS JOIN t ON …` (SQLite's ways
 * to fix the index and the join order; PostgreSQL plans them itself) and `LIMIT ?` bound to -1 for "no
 * limit" (PostgreSQL reads a NULL limit that way).
 */
function sqliteHintsDropped(sql: string): string {
  return sql
    .replace(/\bexec_rows\b/g, 'execs')
    .replace(/\s+INDEXED BY\s+\w+/gi, '')
    .replace(/\bCROSS JOIN(\s+\w+(?:\s+(?:AS\s+)?\w+)?\s+ON)\b/gi, 'JOIN$1')
    .replace(/\bLIMIT\s+(\?\d*)/gi, 'LIMIT NULLIF($1, -1)');
}

function closingQuote(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

/** Parameters in `$n` order from better-sqlite3-style arguments (values, or one object of names). */
export function bindSlots(slots: readonly (number | string)[], args: readonly unknown[]): unknown[] {
  const first = args[0];
  const byName =
    args.length === 1 && first !== null && typeof first === 'object' && !Array.isArray(first) && !Buffer.isBuffer(first)
      ? (first as Record<string, unknown>)
      : undefined;
  return slots.map((s) => {
    if (typeof s === 'number') return args[s];
    if (!byName || !(s in byName)) throw new Error(`missing named parameter ${s}`);
    return byName[s];
  });
}
