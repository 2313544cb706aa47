import Database from 'better-sqlite3';
import { applyMigrations } from './migrate.js';
import { registerSqlFunctions } from './sql-functions.js';

/** SQLite's messages for statements beyond its compile-time limits (expression depth, variables, …). */
const LIMIT_MESSAGE = /too large|too many|stack overflow|too complex|too deep|string or blob too big|recursion limit/i;

let probe: Database.Database | null = null;

/**
 * Why SQLite would refuse `sqlText` for being too large (expression tree deeper than 1000, more
 * than 32766 variables, parser stack overflow, recursion limit, …), or null when it accepts it.
 * Prepared and run against an empty database with the case schema (no rows: it returns at once),
 * so no case is needed to ask.
 */
export function sqliteSizeRefusal(sqlText: string, parameters: readonly unknown[] = []): string | null {
  if (probe === null) {
    probe = new Database(':memory:');
    registerSqlFunctions(probe);
    applyMigrations(probe);
  }
  try {
    const stmt = probe.prepare(sqlText);
    if (stmt.reader) stmt.all(...parameters);
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return LIMIT_MESSAGE.test(message) ? message : null;
  }
}
