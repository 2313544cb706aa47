import type BetterSqlite3 from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';
import { visible } from '../util/visible.js';

/**
 * A `--container` value as people type it: `host`, a container name, a full 64-hex id, or an id
 * prefix in any case (docker and crictl accept all of these). Resolves to the case's 12-hex id;
 * a prefix or name that fits several containers is an error listing them, never a guess.
 */
export function resolveContainer(db: BetterSqlite3.Database, selector: string): string {
  if (selector === 'host') return 'host';
  const wanted = selector.trim();
  const rows = db.prepare('SELECT container_id AS id, name FROM containers ORDER BY container_id').all() as { id: string; name: string | null }[];
  const lower = wanted.toLowerCase();
  const exact = rows.filter((r) => r.id === lower || (lower.length === 64 && /^[0-9a-f]+$/.test(lower) && lower.startsWith(r.id)));
  if (exact.length === 1) return (exact[0] as { id: string }).id;
  const byName = rows.filter((r) => r.name === wanted);
  if (byName.length === 1) return (byName[0] as { id: string }).id;
  const byPrefix = /^[0-9a-f]+$/.test(lower) ? rows.filter((r) => r.id.startsWith(lower)) : [];
  const candidates = byName.length > 1 ? byName : byPrefix;
  if (candidates.length === 1) return (candidates[0] as { id: string }).id;
  if (candidates.length > 1) {
    const list = candidates.map((r) => `  ${r.id}  ${visible(r.name ?? '')}`).join('\n');
    throw new PedigreeError('USAGE', `container '${visible(wanted)}' is ambiguous: ${candidates.length} containers match; give more of the id:\n${list}`);
  }
  throw new PedigreeError('USAGE', `no container '${visible(wanted)}' in the case (by name, id or id prefix; see pedigree containers)`);
}
