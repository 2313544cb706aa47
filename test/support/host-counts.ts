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
  capturesAgree(c);
  return hosts.map((h) => ({ hostname: h.hostname, processes: h.processes, execs: h.execs }));
}

/** What `pedigree captures` says each capture added: the rows of the case that capture still holds. */
function capturesAgree(c: { db: Database.Database }): void {
  const r = runCli(['captures', '--json', '--db', c.db.name]);
  expect(r.stderr).toBe('');
  for (const cap of JSON.parse(r.stdout) as { capture: number; processes: number; execs: number }[]) {
    const rows = c.db
      .prepare('SELECT (SELECT count(*) FROM processes WHERE capture_id = ?) AS processes, (SELECT count(*) FROM execs WHERE capture_id = ?) AS execs')
      .get(cap.capture, cap.capture) as { processes: bigint; execs: bigint };
    expect({ processes: cap.processes, execs: cap.execs }, `capture ${cap.capture}`).toEqual({ processes: Number(rows.processes), execs: Number(rows.execs) });
  }
}
