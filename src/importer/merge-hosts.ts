import type BetterSqlite3 from 'better-sqlite3';
import { PedigreeError } from '../util/errors.js';

/**
 * Joins host `other` into host `keep` when the investigator knows they are one machine (the
 * same hostname split by boot times, or two names of one node). Every host-scoped row moves to
 * `keep`; processes are not re-linked (the pids of two boots are different processes anyway).
 * One transaction. Returns how many process rows moved.
 */
export function mergeHosts(db: BetterSqlite3.Database, keep: number, other: number): number {
  if (keep === other) throw new PedigreeError('USAGE', 'hosts merge needs two different host ids');
  const exists = db.prepare('SELECT 1 FROM hosts WHERE host_id = ?');
  for (const id of [keep, other]) {
    if (exists.get(id) === undefined) throw new PedigreeError('USAGE', `no host with id ${id} in this case (see pedigree hosts)`);
  }
  return db.transaction(() => {
    const moved = db.prepare('UPDATE processes SET host_id = ? WHERE host_id = ?').run(keep, other).changes;
    db.prepare('UPDATE execs SET host_id = ? WHERE host_id = ?').run(keep, other);
    db.prepare('UPDATE captures SET host_id = ? WHERE host_id = ?').run(keep, other);
    for (const table of ['chains', 'chain_steps', 'alerts', 'alert_links', 'exec_sources']) {
      db.prepare(`UPDATE ${table} SET host_id = ? WHERE host_id = ?`).run(keep, other);
    }
    db.prepare(`INSERT INTO capture_hosts (capture_id, host_id, process_count, exec_count)
                SELECT capture_id, :keep, process_count, exec_count FROM capture_hosts WHERE host_id = :other
                ON CONFLICT (capture_id, host_id) DO UPDATE SET process_count = process_count + excluded.process_count,
                  exec_count = exec_count + excluded.exec_count`).run({ keep, other });
    db.prepare('DELETE FROM capture_hosts WHERE host_id = ?').run(other);
    db.prepare(`UPDATE hosts SET boot_id = COALESCE(boot_id, (SELECT boot_id FROM hosts WHERE host_id = :other)),
                  cpus = COALESCE(cpus, (SELECT cpus FROM hosts WHERE host_id = :other)),
                  memory_bytes = COALESCE(memory_bytes, (SELECT memory_bytes FROM hosts WHERE host_id = :other))
                WHERE host_id = :keep`).run({ keep, other });
    db.prepare('DELETE FROM hosts WHERE host_id = ?').run(other);
    return moved;
  })();
}
