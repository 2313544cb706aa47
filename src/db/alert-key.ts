import { hash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * An imported alert's identity in the index that finds the same alert of another capture
 * (alerts.output_key, schema/010_alert_identity.sql): the first 48 bits of sha256 over the rule,
 * a newline and the output, in UTF-8. A cryptographic hash, so an export cannot be written to
 * make many alerts share a key; 48 bits fit a JavaScript number. PostgreSQL computes the same
 * value in ALERT_KEY_PG_SQL.
 */
export function alertKey(rule: string, output: string): number {
  return hash('sha256', `${rule}\n${output}`, 'buffer').readUIntBE(0, 6);
}

/** alertKey in PostgreSQL's SQL, over the row's rule and output columns. */
export const ALERT_KEY_PG_SQL = `('x' || encode(substring(sha256(convert_to(rule || E'\\n' || output, 'UTF8')) from 1 for 6), 'hex'))::bit(48)::bigint`;

/** Makes pedigree_alert_key(rule, output) callable in the SQL the migrations run. */
export function registerAlertKey(db: BetterSqlite3.Database): void {
  db.function('pedigree_alert_key', { deterministic: true }, (rule: unknown, output: unknown) => alertKey(String(rule), String(output)));
}
