import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly, type Db } from '../../src/db/open.js';
import { loadContainersPage } from '../../src/tui/data/case-overview.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

// Several real captures in one case: containers of several hosts, and host processes beside them.
const CAPTURES = [
  'bencer-examples__example4-1.scap',
  'bencer-examples__example0_nginx_v2.scap',
  'falco__psp_privileged.scap',
  'falco__psp_run_as_user_0_container.scap',
];
const STORY = new URL('../../samples/story.jsonl', import.meta.url).pathname;

const tmp = tempDir();
const dbPath = tmp.path('containers.db');
let db: Db;

/** Each container's process rows counted one container at a time, and the lowest host they ran on. */
function countedOneByOne(): Map<string, { processes: number; hostId: number }> {
  const out = new Map<string, { processes: number; hostId: number }>();
  for (const id of db.prepare('SELECT container_id FROM containers ORDER BY container_id').pluck().all() as string[]) {
    const r = db.prepare('SELECT count(*) AS n, min(host_id) AS h FROM processes WHERE container_id = ?').get(id) as { n: bigint; h: bigint | null };
    out.set(id, { processes: Number(r.n), hostId: Number(r.h ?? -1) });
  }
  return out;
}

describe.skipIf(!HAVE_CAPTURES)('per-container process counts without a container index (schema 009)', () => {
  beforeAll(() => {
    for (const file of [...CAPTURES.map((c) => join(CAPTURES_DIR, c)), STORY]) {
      const r = runCli(['import', file, '--db', dbPath, '-q']);
      if (r.code !== 0) throw new Error(r.stderr);
    }
    db = openCaseReadOnly(dbPath);
  });
  afterAll(() => {
    db?.close();
    tmp.cleanup();
  });

  it('the case has neither index, and holds containers with and without processes', () => {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(names).not.toContain('processes_container');
    expect(names).not.toContain('execs_parent');
    const counted = [...countedOneByOne().values()];
    expect(counted.filter((c) => c.processes > 0).length).toBeGreaterThan(2);
    expect(new Set(counted.filter((c) => c.processes > 0).map((c) => c.hostId)).size).toBeGreaterThan(1);
  });

  it('`pedigree containers` counts what a count per container finds', () => {
    const r = runCli(['containers', '--db', dbPath, '--json']);
    expect(r.code).toBe(0);
    const listed = JSON.parse(r.stdout) as { id: string; processes: number }[];
    const counted = countedOneByOne();
    expect(listed.map((c) => c.id).sort()).toEqual([...counted.keys()]);
    for (const c of listed) expect([c.id, c.processes]).toEqual([c.id, counted.get(c.id)?.processes]);
  });

  it('the TUI container pages, one container at a time or all at once, count the same', () => {
    const counted = countedOneByOne();
    const whole = loadContainersPage(db, 0, 1000);
    expect(whole.moreAfter).toBe(false);
    expect(whole.items.map((c) => c.containerId).sort()).toEqual([...counted.keys()]);
    for (const c of whole.items) {
      const want = counted.get(c.containerId);
      expect([c.containerId, c.processCount, c.hostId]).toEqual([c.containerId, want?.processes, want && want.processes > 0 ? want.hostId : null]);
    }
    const paged = whole.items.map((_, i) => loadContainersPage(db, i, 1).items[0]);
    expect(paged).toEqual(whole.items);
  });
});
