import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly } from '../../src/db/open.js';
import { ancestorsOf } from '../../src/lineage/ancestry.js';
import { descendantsOf } from '../../src/lineage/descendants.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * A connection reads the lineage walk bound once. Rows imported while it stays open (the TUI,
 * a PostgreSQL case with other importers) can make a chain longer than that bound: the walk
 * must notice it reached the bound and walk again, never return a cut chain.
 */

const T0 = 1_732_800_000_000_000_000n;

/** A chain of `depth` shells under init, on its own host. */
function chain(path: string, host: string, depth: number): void {
  const lines = [{ kind: 'snapshot', ts: String(T0), pid: 1, ppid: 0, comm: 'init', exe: '/sbin/init', exepath: '/sbin/init', args: [], host }];
  for (let i = 1; i <= depth; i++) {
    const pid = 100 + i;
    const ts = T0 + BigInt(i) * 1000n;
    lines.push({ kind: 'fork', ts: String(ts), pid, ppid: i === 1 ? 1 : pid - 1, syscall: 'clone', host } as never);
    lines.push({
      kind: 'exec',
      ts: String(ts + 1n),
      pid,
      ppid: i === 1 ? 1 : pid - 1,
      comm: 'sh',
      exe: 'sh',
      exepath: '/bin/sh',
      args: ['-c', `level ${i}`],
      host,
    } as never);
  }
  writeFileSync(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
}

describe('lineage walks on a connection opened before a deeper chain was imported', () => {
  const tmp = tempDir('pedigree-walk-bound-');
  afterAll(() => tmp.cleanup());

  it('ancestors and descendants return the whole new chain', () => {
    const db = tmp.path('case.db');
    chain(tmp.path('small.jsonl'), 'small', 3);
    chain(tmp.path('deep.jsonl'), 'deep', 40);
    expect(runCli(['import', tmp.path('small.jsonl'), '--db', db, '-q']).code).toBe(0);
    const ro = openCaseReadOnly(db);
    try {
      const smallest = ro.prepare('SELECT max(exec_id) FROM execs').pluck().get() as bigint;
      expect(ancestorsOf(ro, Number(smallest))).toHaveLength(4); // reads the bound: a few ids
      const root = ro.prepare('SELECT process_id FROM processes WHERE pid = 1').pluck().get() as bigint;
      expect(descendantsOf(ro, Number(root))).toHaveLength(4);

      expect(runCli(['import', tmp.path('deep.jsonl'), '--db', db, '-q']).code).toBe(0);
      const deepest = ro
        .prepare("SELECT e.exec_id FROM execs e JOIN hosts h ON h.host_id = e.host_id WHERE h.hostname = 'deep' AND e.pid = 140")
        .pluck()
        .get() as bigint;
      const up = ancestorsOf(ro, Number(deepest));
      expect(up).toHaveLength(41);
      expect(up.at(-1)?.name).toBe('init');
      const deepRoot = ro
        .prepare("SELECT p.process_id FROM processes p JOIN hosts h ON h.host_id = p.host_id WHERE h.hostname = 'deep' AND p.pid = 1")
        .pluck()
        .get() as bigint;
      const down = descendantsOf(ro, Number(deepRoot));
      expect(down).toHaveLength(41);
      expect(down.at(-1)?.depth).toBe(40);
    } finally {
      ro.close();
    }
  }, 120_000);
});
