import type pg from 'pg';
import { type Db, openCaseForWrite } from '../db/open.js';
import { seedScratch } from '../db/postgres/seed-scratch.js';

/** A scratch case seeded from the PostgreSQL case, with a copy of the seed beside it (`<path>.base`). */
export async function seededScratch(client: pg.Client, path: string, hostIds: bigint[]): Promise<Db> {
  const db = openCaseForWrite(path);
  db.pragma('synchronous = OFF'); // a scratch file: nothing to keep after a crash
  try {
    await seedScratch(client, db, hostIds);
    db.prepare('VACUUM INTO ?').run(`${path}.base`);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Host names the import wrote rows for (or created), read after the first pass. */
export function hostNamesUsed(db: Db): string[] {
  db.prepare('ATTACH DATABASE ? AS base').run(`${db.name}.base`);
  try {
    return db
      .prepare(`SELECT hostname FROM main.hosts WHERE host_id > (SELECT COALESCE(max(host_id), 0) FROM base.hosts)
                   OR host_id IN (SELECT host_id FROM main.processes UNION SELECT host_id FROM main.alerts
                                  UNION SELECT host_id FROM main.capture_hosts WHERE capture_id > (SELECT COALESCE(max(capture_id), 0) FROM base.captures)
                                  UNION SELECT host_id FROM main.captures WHERE capture_id > (SELECT COALESCE(max(capture_id), 0) FROM base.captures))`)
      .pluck()
      .all() as string[];
  } finally {
    db.exec('DETACH DATABASE base');
  }
}
