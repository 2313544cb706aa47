import { openCaseReadOnly, type Db } from './open.js';
import { openPostgresReadOnly } from './postgres/open-postgres.js';
import { isPostgresUrl } from './postgres/pg-url.js';

/**
 * A read-only connection to the case named by `--db`: a SQLite file (hot journal rolled back,
 * schema checked) or, for a postgres:// URL, PostgreSQL behind the same synchronous interface.
 * Every reader opens the case through this: the query commands, the TUI and its workers.
 */
export function openCaseTarget(target: string): Db {
  return isPostgresUrl(target) ? openPostgresReadOnly(target).asDatabase() : openCaseReadOnly(target);
}
