import type BetterSqlite3 from 'better-sqlite3';

/**
 * PostgreSQL's text cannot hold a NUL character, which SQLite's can and which evidence may carry
 * (a JSON string's \u0000; no real execve argument has one). Each NUL of a text value is stored
 * on PostgreSQL as U+2400 SYMBOL FOR NULL, and the values so changed are counted, so the import
 * can say so instead of failing on the server's "invalid byte sequence".
 */
const NUL_STAND_IN = '\u2400';

let changedValues = 0;

export function pgSafeText(s: string): string {
  if (!s.includes('\0')) return s;
  changedValues++;
  return s.replaceAll('\0', NUL_STAND_IN);
}

/** How many text values had a NUL replaced since the last call. */
export function takeNulReplacements(): number {
  const n = changedValues;
  changedValues = 0;
  return n;
}

/** The SQL function copy-line-sql.ts calls for a text value holding a NUL, on the SQLite side. */
export const PG_SAFE_TEXT_SQL = 'pedigree_pg_safe_text';

export function registerPgSafeText(db: BetterSqlite3.Database): void {
  db.function(PG_SAFE_TEXT_SQL, { varargs: false }, (v: unknown) => (typeof v === 'string' ? pgSafeText(v) : v));
}

/** The warning a capture gets when some of its text values had NULs replaced. */
export function nulWarning(values: number): string {
  return `${values} text value${values === 1 ? '' : 's'} held NUL characters, which PostgreSQL text cannot store: each NUL is stored as U+2400 (${NUL_STAND_IN})`;
}
