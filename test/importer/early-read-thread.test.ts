import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateScap } from '../../bench/scap-generate.js';
import { openCaseForWrite } from '../../src/db/open.js';
import { ContentHasher } from '../../src/importer/content-hash.js';
import { READ_THREAD_MIN_BYTES, startEarlyReadThread, takeEarlyReadThread } from '../../src/importer/early-read-thread.js';
import { SLOT_BYTES } from '../../src/importer/hash-ring.js';
import { importFile } from '../../src/importer/import-file.js';
import { ReadingHashThread } from '../../src/importer/read-hash-thread.js';
import { READ_SLOTS } from '../../src/importer/read-ring.js';
import { tempDir } from '../support/temp-case.js';

/**
 * The reading and hashing thread of a large .scap may start before the case is open (the probe
 * lengths the case decides come later): its content identity must be the in-line hasher's, it
 * must not hold the process when no import takes it, and an import of that file must take it.
 */
describe('a reading thread started before the case is open', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("reads and hashes ahead at once; probe lengths given later, some already passed, get the in-line hasher's digests", async () => {
    const file = tmp.path('data.bin');
    const data = randomBytes(2 * READ_SLOTS * SLOT_BYTES + 333);
    writeFileSync(file, data);
    const probes = [4096, SLOT_BYTES + 5, data.length];
    const thread = new ReadingHashThread(file, null);
    // Time to boot and fill the ring before the lengths are known.
    await new Promise((r) => setTimeout(r, 200));
    thread.begin(probes);
    const parts: Buffer[] = [];
    for await (const chunk of thread.chunks(() => {})) parts.push(Buffer.from(chunk));
    const got = await thread.finish();
    thread.stop();
    const inLine = new ContentHasher(probes);
    inLine.update(data);
    const want = inLine.finish();
    expect(Buffer.compare(Buffer.concat(parts), data)).toBe(0);
    expect(got.sha256).toBe(want.sha256);
    expect(Buffer.compare(got.checkpoints, want.checkpoints)).toBe(0);
    expect([...got.probes]).toEqual([...want.probes]);
    expect(got.probes.size).toBe(3);
  });

  it('a hasher told of probe lengths after it began takes the digests hashing in line from the start would', () => {
    const data = randomBytes(3 * SLOT_BYTES + 777);
    const probes = [4096, SLOT_BYTES, SLOT_BYTES + 5, 2 * SLOT_BYTES + 1, data.length, data.length + 1];
    const late = new ContentHasher([], false);
    late.update(data.subarray(0, SLOT_BYTES));
    late.update(data.subarray(SLOT_BYTES, SLOT_BYTES + 5));
    const asked: number[][] = [];
    late.addProbes(probes, (passed) => {
      asked.push(passed);
      const again = new ContentHasher(passed, false);
      again.update(data.subarray(0, Math.max(...passed)));
      return again.finish().probes;
    });
    late.update(data.subarray(SLOT_BYTES + 5));
    const inLine = new ContentHasher(probes, false);
    inLine.update(data);
    const want = inLine.finish();
    const got = late.finish();
    // Only the lengths it had passed are hashed again; the one it stood at comes from its own state.
    expect(asked).toEqual([[4096, SLOT_BYTES]]);
    expect(got.sha256).toBe(want.sha256);
    expect(Buffer.compare(got.checkpoints, want.checkpoints)).toBe(0);
    expect(new Map([...got.probes].sort())).toEqual(new Map([...want.probes].sort()));
    expect(got.probes.size).toBe(5);
  });

  it('one that no import takes lets the process end', () => {
    const file = tmp.path('idle.bin');
    writeFileSync(file, randomBytes(4 * SLOT_BYTES));
    const script = `import { ReadingHashThread } from ${JSON.stringify(new URL('../../src/importer/read-hash-thread.ts', import.meta.url).href)};
      new ReadingHashThread(${JSON.stringify(file)}, null);
      setTimeout(() => process.stdout.write('done'), 300);`;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('done');
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 40_000);

  it('the import of a large .scap takes the thread started for it and records the file as hashing in line would', async () => {
    const file = tmp.path('large.scap');
    generateScap(file, READ_THREAD_MIN_BYTES + 2 * SLOT_BYTES);
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    // As the import command's arguments come, options and all; files it would not read early are passed over.
    startEarlyReadThread(['--db', tmp.path('case.db'), '-q', tmp.path('missing.scap'), file]);
    const db = openCaseForWrite(tmp.path('case.db'));
    try {
      const early = await importFile(db, file);
      expect(takeEarlyReadThread(file)).toBeNull(); // taken by the import
      const inLineDb = openCaseForWrite(tmp.path('in-line.db'));
      const inLine = await importFile(inLineDb, file, { hashThread: false }).finally(() => inLineDb.close());
      expect(early.sha256).toBe(want);
      expect(early.execs).toBe(inLine.execs);
      expect(early.execs).toBeGreaterThan(1000);
      const identity = (path: string) => {
        const other = openCaseForWrite(path);
        try {
          return other.prepare('SELECT sha256, content_sha256, content_bytes, content_checkpoints FROM captures').get();
        } finally {
          other.close();
        }
      };
      expect(db.prepare('SELECT sha256, content_sha256, content_bytes, content_checkpoints FROM captures').get()).toEqual(identity(tmp.path('in-line.db')));
    } finally {
      db.close();
    }
  }, 120_000);

  it('a small file or one that is not a plain .scap gets no early thread', () => {
    const small = tmp.path('small.scap');
    generateScap(small, 2 * SLOT_BYTES);
    const text = tmp.path('large.jsonl');
    writeFileSync(text, Buffer.alloc(READ_THREAD_MIN_BYTES, 0x20));
    startEarlyReadThread([small, text]);
    expect(takeEarlyReadThread(small)).toBeNull();
    expect(takeEarlyReadThread(text)).toBeNull();
  });
});
