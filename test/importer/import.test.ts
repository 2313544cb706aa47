import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { openCaseForWrite, openCaseReadOnly } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { InputError } from '../../src/util/errors.js';
import { BIN, runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

const STORY = new URL('../../samples/story.jsonl', import.meta.url).pathname;
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function counts(dbPath: string): { captures: number; processes: number; execs: number } {
  const db = new Database(dbPath, { readonly: true });
  const r = db.prepare('SELECT (SELECT count(*) FROM captures) c, (SELECT count(*) FROM processes) p, (SELECT count(*) FROM execs) e').get() as {
    c: number;
    p: number;
    e: number;
  };
  db.close();
  return { captures: r.c, processes: r.p, execs: r.e };
}

describe('import', () => {
  it('imports the story sample and recognises the same file the second time by sha256', async () => {
    const dbPath = tmp.path('story.db');
    const db = openCaseForWrite(dbPath);
    const first = await importFile(db, STORY);
    const second = await importFile(db, STORY);
    db.close();
    expect(first).toMatchObject({ outcome: 'imported', status: 'complete', format: 'jsonl', events: 41, processes: 17 });
    expect(second.outcome).toBe('already imported');
    expect(second.captureId).toBe(first.captureId);
    expect(counts(dbPath)).toEqual({ captures: 1, processes: 17, execs: first.execs });
  });

  it('reads a file in a worker thread into exactly the rows it writes in-process', async () => {
    const dump = async (worker: boolean): Promise<string> => {
      const dbPath = tmp.path(`w-${worker}.db`);
      const db = openCaseForWrite(dbPath);
      await importFile(db, STORY, { worker });
      const rows = JSON.stringify(db.prepare('SELECT * FROM execs ORDER BY exec_id').raw().all(), (_k, v: unknown) =>
        typeof v === 'bigint' ? v.toString() : v,
      );
      db.close();
      return rows;
    };
    expect(await dump(true)).toBe(await dump(false));
  });

  it('stops at a malformed line, names file and line, and leaves the case as it was', async () => {
    const dbPath = tmp.path('bad.db');
    const bad = tmp.path('bad.jsonl');
    const lines = readFileSync(STORY, 'utf8').split('\n');
    lines.splice(11, 0, '{"kind":"exec","host":"node-1","ts":"17328000","pid":"not-a-number"}');
    writeFileSync(bad, lines.join('\n'));
    const db = openCaseForWrite(dbPath);
    await importFile(db, STORY);
    const before = counts(dbPath);
    const err = await importFile(db, bad).catch((e: unknown) => e);
    db.close();
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe(`${bad}:12: "pid" must be an integer, got "not-a-number"`);
    expect(counts(dbPath)).toEqual(before);
  });

  it('with --skip-bad, skips the damaged line, records a warning and imports the rest', () => {
    const dbPath = tmp.path('skip.db');
    const bad = tmp.path('skip.jsonl');
    copyFileSync(STORY, bad);
    appendFileSync(bad, '{"kind":"exec","host":"node-1"\n');
    const r = runCli(['import', bad, '--db', dbPath, '--skip-bad', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${bad}:42: skipped: not valid JSON`);
    const out = JSON.parse(r.stdout) as { warnings: number; status: string }[];
    expect(out[0]).toMatchObject({ warnings: 1, status: 'complete' });
    const db = new Database(dbPath, { readonly: true });
    expect(db.prepare('SELECT line, message FROM capture_warnings').all()).toEqual([{ line: 42, message: expect.stringContaining('skipped: not valid JSON') }]);
    db.close();
  });

  it('refuses a file in no known format with the bytes it saw, and exits 65', () => {
    const junk = tmp.path('junk.bin');
    writeFileSync(junk, Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4]));
    const r = runCli(['import', junk, '--db', tmp.path('junk.db')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${junk} at byte 0: unrecognised format (first bytes: de ad be ef 01 02 03 04`);
    expect(r.stderr).not.toContain('    at ');
  });

  it('leaves the case as it was when the import is killed with SIGKILL midway', async () => {
    const big = tmp.path('big.jsonl');
    await generateJsonl(big, { execs: 150_000, seed: 7 });
    const dbPath = tmp.path('killed.db');
    const db = openCaseForWrite(dbPath);
    await importFile(db, STORY);
    db.close();
    const before = counts(dbPath);

    const child = spawn(process.execPath, [BIN, 'import', big, '--db', dbPath], { stdio: 'ignore' });
    // Kill once the import holds the case (it announces itself in CASE-writer) and has run a while.
    const { existsSync } = await import('node:fs');
    const deadline = Date.now() + 60_000;
    while (!existsSync(`${dbPath}-writer`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    // A read-only open (what every query command does) sees the case as it was, with no writer first.
    const reopened = openCaseReadOnly(dbPath);
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
    expect(counts(dbPath)).toEqual(before);
  });

  it('hashes each file once while reading it: the file sha256 and the content sha256 are the real ones, worker or not', async () => {
    const { createHash } = await import('node:crypto');
    const { gzipSync } = await import('node:zlib');
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const scap = new URL('../../samples/story.scap', import.meta.url).pathname;
    const gz = tmp.path('story.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(STORY)));
    for (const [file, worker] of [
      [STORY, false],
      [STORY, true],
      [scap, true],
      [scap, false],
      [gz, false],
      [gz, true],
    ] as const) {
      const dbPath = tmp.path(`hash-${worker}-${file.split('/').pop()}.db`);
      const db = openCaseForWrite(dbPath);
      await importFile(db, file, { worker });
      const row = db.prepare('SELECT sha256, content_sha256 FROM captures').get() as { sha256: string; content_sha256: string };
      db.close();
      const bytes = readFileSync(file);
      const content = file === gz ? readFileSync(STORY) : bytes;
      expect({ file, worker, ...row }).toEqual({ file, worker, sha256: sha(bytes), content_sha256: sha(content) });
    }
  });
});
