import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseSource } from '../../src/tui/data/case-source.js';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { BIN } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, integrityCheck, readCommands, startPedigree, STORY_JSONL, waitFor } from './support.js';

/**
 * An import interrupted at any point (kill -9, Ctrl-C) leaves the case as it was before that
 * import, and every read command works on it at once, without a writer opening it first.
 */
describe('an interrupted import', () => {
  const tmp = tempDir('pedigree-interrupt-');
  const big = tmp.path('big.jsonl');
  const base = tmp.path('base.db');

  beforeAll(async () => {
    await generateJsonl(big, { execs: 15_000, seed: 7 });
    expect((await cli(['import', STORY_JSONL, '--db', base, '-q'])).code).toBe(0);
  }, 120_000);
  afterAll(() => tmp.cleanup());

  /** A copy of the one-capture story case, with its WAL state, to interrupt an import into. */
  function freshCase(name: string): string {
    const db = tmp.path(name);
    copyFileSync(base, db);
    for (const suffix of ['-wal', '-shm']) if (existsSync(base + suffix)) copyFileSync(base + suffix, db + suffix);
    return db;
  }

  async function expectCaseAsBefore(db: string): Promise<void> {
    expect(integrityCheck(db)).toBe('ok');
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete']);
    for (const args of readCommands(db)) {
      const r = await cli(args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: expect.not.stringMatching(/error/) });
    }
    const ancestors = await cli(['ancestors', '--pid', '4004', '--db', db]);
    expect(ancestors.stdout).toMatch(/^cat ← sh ← nginx/);
    const tui = openCaseSource(db);
    await tui.close();
  }

  const phases: [string, NodeJS.Signals][] = [
    ['begin', 'SIGKILL'],
    ['read, link and insert', 'SIGKILL'],
    ['finish capture', 'SIGKILL'],
    ['build indexes', 'SIGKILL'],
    ['read, link and insert', 'SIGINT'],
    ['build indexes', 'SIGINT'],
  ];
  for (const [phase, signal] of phases) {
    it(`by ${signal} after "${phase}" leaves the case as it was, readable by every command`, async () => {
      const db = freshCase(`${signal}-${phase.replace(/\W+/g, '-')}.db`);
      const child = startPedigree(['import', big, '--db', db, '-q'], { PEDIGREE_FAULT: `${phase}:${signal}` });
      const end = await child.done;
      expect(end.signal).toBe(signal);
      expect(existsSync(`${db}-wal`)).toBe(true); // the interrupted transaction's frames are there
      await expectCaseAsBefore(db);
      // And the case takes the same file afterwards, whole.
      expect((await cli(['import', big, '--db', db, '-q'])).code).toBe(0);
      expect(captureRows(db).map((c) => c.status)).toEqual(['complete', 'complete']);
      expect(integrityCheck(db)).toBe('ok');
    }, 120_000);
  }

  it('by SIGKILL at a random moment while rows are written', async () => {
    const db = freshCase('mid-rows.db');
    const child = startPedigree(['import', big, '--db', db, '-q'], { PEDIGREE_TIMING: '1' });
    // "begin" is reported once the capture row is written and rows start to flow.
    await waitFor(() => child.stderr().includes('timing: begin'), 60_000, 'the import to begin');
    await new Promise((r) => setTimeout(r, 150));
    child.proc.kill('SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    expect(child.stderr()).not.toContain('timing: commit');
    await expectCaseAsBefore(db);
  }, 120_000);

  it('on a full disk (a file size limit, ulimit -f) says so (exit 74) and leaves the case as it was', async () => {
    const db = freshCase('disk-full.db');
    // 3 MB: the one-capture case fits, the import of the generated file does not.
    const r = spawnSync('bash', ['-c', `ulimit -f 3000; exec "${process.execPath}" "${BIN}" import "${big}" --db "${db}" -q`], { encoding: 'utf8' });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 74,
      stderr: expect.stringMatching(/could not write the case .*disk-full\.db .*ulimit -f.*as it was before this import/),
    });
    await expectCaseAsBefore(db);
  }, 120_000);

  it('after "commit" keeps the whole capture', async () => {
    const db = freshCase('after-commit.db');
    const child = startPedigree(['import', big, '--db', db, '-q'], { PEDIGREE_FAULT: 'commit:SIGKILL' });
    expect((await child.done).signal).toBe('SIGKILL');
    expect(integrityCheck(db)).toBe('ok');
    expect(captureRows(db).map((c) => c.status)).toEqual(['complete', 'complete']);
    expect((await cli(['captures', '--db', db])).code).toBe(0);
  }, 120_000);
});
