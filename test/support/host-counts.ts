import type Database from 'better-sqlite3';
import { expect } from 'vitest';
import { runCli } from './run-cli.js';

/** What `pedigree hosts` says of each host: the case's rows, however many captures brought them. */
export function hostCounts(c: { db: Database.Database }): { hostname: string; processes: number; execs: number }[] {
  const r = runCli(['hosts', '--json', '--db', c.db.name]);
  expect(r.stderr).toBe('');
  const hosts = JSON.parse(r.stdout) as { hostname: string; processes: number; execs: number }[];
  for (const h of hosts) {
    const rows = c.db
      .prepare(
        'SELECT (SELECT count(*) FROM processes p JOIN hosts x ON x.host_id = p.host_id WHERE x.hostname = ?) AS processes, (SELECT count(*) FROM execs e JOIN hosts x ON x.host_id = e.host_id WHERE x.hostname = ?) AS execs',
      )
      .get(h.hostname, h.hostname) as { processes: bigint; execs: bigint };
    expect({ processes: h.processes, execs: h.execs }, h.hostname).toEqual({ processes: Number(rows.processes), execs: Number(rows.execs) });
  }
  return hosts.map((h) => ({ hostname: h.hostname, processes: h.processes, execs: h.execs }));
}
