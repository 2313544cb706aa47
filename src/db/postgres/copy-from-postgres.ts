import { StringDecoder } from 'node:string_decoder';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { caseSchema, type TableShape } from '../case-schema.js';
import { checkPostgresCase } from './pg-migrate.js';
import { PgSyncConnection } from './pg-sync.js';
import { pgColumnType } from './pg-layout.js';
import { redactUrl } from './pg-url.js';
import { connectionError, statementTimeoutMs } from './open-postgres.js';
import type { CopySummary } from './copy-to-postgres.js';

/** Undoes COPY's text escapes for one field (`\N` is handled by the caller). */
function unescapeCopy(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (_m, ch: string) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch === 'r' ? '\r' : ch));
}

/**
 * Copies a PostgreSQL case into a new SQLite case (`dest` freshly migrated, empty), ids kept, in
 * one SQLite transaction: all of it or none.
 */
export async function copyCaseFromPostgres(url: string, dest: BetterSqlite3.Database): Promise<CopySummary[]> {
  let check: PgSyncConnection;
  try {
    check = new PgSyncConnection(url, { readOnly: true, statementTimeoutMs: statementTimeoutMs() });
  } catch (err) {
    throw connectionError(url, err);
  }
  try {
    checkPostgresCase(check, redactUrl(url));
  } finally {
    check.close();
  }
  const client = new pg.Client({ connectionString: url, options: '-c default_transaction_read_only=on' });
  client.on('error', () => {});
  await client.connect();
  const summary: CopySummary[] = [];
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    dest.exec('BEGIN');
    for (const table of caseSchema().tables) {
      const rows = await copyTableFromPostgres(client, dest, table);
      summary.push({ table: table.name, rows });
    }
    dest.exec('COMMIT');
    await client.query('COMMIT');
    return summary;
  } catch (err) {
    if (dest.inTransaction) dest.exec('ROLLBACK');
    throw err;
  } finally {
    await client.end();
  }
}

/**
 * Streams one table (the rows `where` selects, with `params`) from PostgreSQL into the same table
 * of a SQLite case, ids kept. Returns how many rows it copied.
 */
export async function copyTableFromPostgres(
  client: pg.Client,
  dest: BetterSqlite3.Database,
  table: TableShape,
  where = '',
  params: unknown[] = [],
): Promise<number> {
  const kinds = table.columns.map((c) => pgColumnType(table.name, c.name, c.type));
  const names = table.columns.map((c) => `"${c.name}"`).join(', ');
  const insert = dest.prepare(`INSERT INTO "${table.name}" (${names}) VALUES (${table.columns.map(() => '?').join(', ')})`);
  const decode = kinds.map((kind, i) => {
    if (kind === 'bytea') {
      const asText = table.columns[i]?.type !== 'BLOB';
      return (s: string) => {
        const buf = Buffer.from(s.slice(3), 'hex'); // \\x…
        return asText ? buf.toString('utf8') : buf;
      };
    }
    if (kind === 'bigint') return (s: string) => BigInt(s);
    if (kind === 'double precision') return (s: string) => Number(s);
    return unescapeCopy;
  });
  // COPY takes no bind parameters: the selection is materialised in a temporary table first.
  let source = `"${table.name}"`;
  if (where !== '') {
    await client.query(`CREATE TEMP TABLE pedigree_seed AS SELECT ${names} FROM "${table.name}" ${where}`, params);
    source = 'pedigree_seed';
  }
  let rows = 0;
  let rest = '';
  const utf8 = new StringDecoder('utf8'); // a chunk may end inside a character
  const stream = client.query(copyTo(`COPY (SELECT ${names} FROM ${source}) TO STDOUT`));
  for await (const chunk of stream) {
    const text = rest + utf8.write(chunk as Buffer);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const fields = line.split('\t');
      insert.run(fields.map((f, i) => (f === '\\N' ? null : (decode[i] as (s: string) => unknown)(f))));
      rows++;
    }
  }
  if (where !== '') await client.query('DROP TABLE pedigree_seed');
  return rows;
}
