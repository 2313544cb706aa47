import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly } from '../../src/db/open.js';
import { processPath } from '../../src/tui/data/process-pages.js';
import { flattenTree, type ChildWindow } from '../../src/tui/state/tree-rows.js';
import type { ProcessRow } from '../../src/tui/data/types.js';
import { tempDir } from '../support/temp-case.js';
import { cli } from './support.js';

/** A chain of shells DEPTH deep under init: an attacker nesting to hide the root. */
const DEPTH = 100_000;
const T0 = 1_732_800_000_000_000_000n;

async function writeDeepChain(path: string): Promise<void> {
  const out = createWriteStream(path);
  const line = async (o: object): Promise<void> => {
    if (!out.write(`${JSON.stringify(o)}\n`)) await once(out, 'drain');
  };
  await line({ kind: 'snapshot', ts: String(T0), pid: 1, ppid: 0, comm: 'init', exe: '/sbin/init', exepath: '/sbin/init', args: [], host: 'deep' });
  for (let i = 1; i <= DEPTH; i++) {
    const pid = 100 + i;
    const ppid = i === 1 ? 1 : pid - 1;
    const ts = T0 + BigInt(i) * 1000n;
    await line({ kind: 'fork', ts: String(ts), pid, ppid, syscall: 'clone', host: 'deep' });
    await line({ kind: 'exec', ts: String(ts + 1n), pid, ppid, comm: 'sh', exe: 'sh', exepath: '/bin/sh', args: ['-c', `level ${i}`], host: 'deep' });
  }
  out.end();
  await once(out, 'finish');
}

describe(`a ${DEPTH.toLocaleString('en-US')}-deep chain of shells`, () => {
  const tmp = tempDir('pedigree-deep-');
  const db = tmp.path('deep.db');
  const deepestPid = String(100 + DEPTH);

  beforeAll(async () => {
    await writeDeepChain(tmp.path('deep.jsonl'));
    const r = await cli(['import', tmp.path('deep.jsonl'), '--db', db, '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);
  afterAll(() => tmp.cleanup());

  it('ancestors names init as the oldest ancestor, every level in between', async () => {
    const r = await cli(['ancestors', '--pid', deepestPid, '--db', db, '--json']);
    expect(r.code).toBe(0);
    const steps = JSON.parse(r.stdout) as { name: string; pid: number | string }[];
    expect(steps).toHaveLength(DEPTH + 1);
    expect(steps.at(-1)?.name).toBe('init');
    expect(String(steps[0]?.pid)).toBe(deepestPid);
  }, 120_000);

  it('descendants and tree reach the deepest shell, and the text says how deep a row is', async () => {
    const desc = await cli(['descendants', '--pid', '1', '--all', '--db', db, '--json']);
    expect(desc.code).toBe(0);
    const rows = JSON.parse(desc.stdout) as { depth: number; pid: number | string }[];
    expect(rows).toHaveLength(DEPTH + 1);
    expect(rows.at(-1)).toMatchObject({ depth: DEPTH });
    expect(String(rows.at(-1)?.pid)).toBe(deepestPid);

    const tree = await cli(['tree', '--all', '--db', db]);
    expect(tree.code).toBe(0);
    const lines = tree.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(DEPTH + 1);
    expect(lines.at(-1)).toMatch(new RegExp(`^\\(depth ${DEPTH}\\) .*└── sh,${deepestPid} -c level ${DEPTH}`));
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(400);
  }, 120_000);

  it('the canned queries walk the whole chain', async () => {
    const longest = await cli(['queries', 'run', 'longest-chains', '--param', 'limit=1', '--db', db, '--json']);
    expect(longest.code).toBe(0);
    expect((JSON.parse(longest.stdout) as { depth: number }[])[0]?.depth).toBe(DEPTH);
  }, 120_000);

  it('the TUI finds the path to the deepest process and flattens it fully opened, without recursion', () => {
    const conn = openCaseReadOnly(db);
    try {
      const deepest = conn.prepare('SELECT process_id FROM processes WHERE pid = ?').get(Number(deepestPid)) as { process_id: bigint };
      const path = processPath(conn, Number(deepest.process_id));
      expect(path).toHaveLength(DEPTH + 1);
      expect(path[0]?.name).toBe('init');
      const rows = new Map<number, ProcessRow>(path.map((p) => [p.processId, p]));
      const windows = new Map<number, ChildWindow>([[-1, { ids: [path[0]?.processId as number], moreBefore: false, moreAfter: false }]]);
      for (let i = 0; i < path.length - 1; i++) {
        windows.set(path[i]?.processId as number, { ids: [path[i + 1]?.processId as number], moreBefore: false, moreAfter: false });
      }
      const visible = flattenTree({ rows, windows, expanded: new Set(path.map((p) => p.processId)) });
      expect(visible).toHaveLength(DEPTH + 1);
      expect(visible.at(-1)).toMatchObject({ depth: DEPTH });
    } finally {
      conn.close();
    }
  }, 120_000);
});
