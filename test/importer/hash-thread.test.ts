import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { openCaseForWrite } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { CHECKPOINT_DIGEST_BYTES, ContentHasher } from '../../src/importer/content-hash.js';
import { ContentHashThread } from '../../src/importer/hash-thread.js';
import { ReadingHashThread } from '../../src/importer/read-hash-thread.js';
import { newReadRing, READ_SLOTS, ReadRingConsumer } from '../../src/importer/read-ring.js';
import { drainRing, HASH_SLOTS, newRing, RingWriter, SLOT_BYTES } from '../../src/importer/hash-ring.js';
import { generateScap } from '../../bench/scap-generate.js';
import { tempDir } from '../support/temp-case.js';

/**
 * Large files are hashed in a helper thread while they are parsed: its identity of the content
 * (sha256, checkpoints, probe digests, line count) must be the in-line hasher's, whatever the
 * chunk sizes, including chunks larger than a ring slot and more data than the ring holds.
 */
describe('content hash thread', () => {
  it('gives the same content identity as hashing in line', async () => {
    const data = randomBytes(12 * HASH_SLOTS * SLOT_BYTES + 12_345);
    for (let i = 0; i < data.length; i += 997) data[i] = 10; // lines to count
    const probes = [4096, 5 * SLOT_BYTES + 3, data.length, data.length + 1];
    const inLine = new ContentHasher(probes);
    const threaded = new ContentHashThread(probes);
    const sizes = [1, 4095, SLOT_BYTES, 3 * SLOT_BYTES + 7, 65_536, 1 << 20];
    for (let at = 0, k = 0; at < data.length; k++) {
      const chunk = data.subarray(at, Math.min(data.length, at + (sizes[k % sizes.length] as number)));
      inLine.update(chunk);
      threaded.update(chunk);
      at += chunk.length;
    }
    const want = inLine.finish();
    const got = await threaded.finish();
    threaded.stop();
    expect(got.sha256).toBe(want.sha256);
    expect(got.bytes).toBe(data.length);
    expect(got.lines).toBe(want.lines);
    expect(Buffer.compare(got.checkpoints, want.checkpoints)).toBe(0);
    expect(got.checkpoints.length).toBeGreaterThan(CHECKPOINT_DIGEST_BYTES * 100);
    expect([...got.probes]).toEqual([...want.probes]);
    expect(got.probes.size).toBe(3);
  });

  it('reads a file into the read ring and hashes it as the in-line hasher does, the chunks in file order', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.path('data.bin');
      const data = randomBytes(2 * READ_SLOTS * SLOT_BYTES + 777);
      writeFileSync(file, data);
      const inLine = new ContentHasher([4096, SLOT_BYTES + 5]);
      inLine.update(data);
      const threaded = new ReadingHashThread(file, [4096, SLOT_BYTES + 5]);
      const parts: Buffer[] = [];
      const chunks = threaded.chunks(() => {});
      for await (const chunk of chunks) parts.push(Buffer.from(chunk));
      expect(chunks.whole).toBe(true);
      const got = await threaded.finish();
      threaded.stop();
      const want = inLine.finish();
      expect(Buffer.compare(Buffer.concat(parts), data)).toBe(0);
      expect(got.sha256).toBe(want.sha256);
      expect(Buffer.compare(got.checkpoints, want.checkpoints)).toBe(0);
      expect([...got.probes]).toEqual([...want.probes]);
    } finally {
      tmp.cleanup();
    }
  });

  it('binary content (a .scap in the read ring) is hashed alike but its lines are not counted', async () => {
    const tmp = tempDir();
    try {
      const file = tmp.path('data.bin');
      const data = randomBytes(SLOT_BYTES + 999);
      for (let i = 0; i < data.length; i += 150) data[i] = 10;
      writeFileSync(file, data);
      const text = new ContentHasher([4096]);
      text.update(data);
      const binary = new ContentHasher([4096], false);
      binary.update(data);
      const threaded = new ReadingHashThread(file, [4096]);
      for await (const _ of threaded.chunks(() => {})) {
        // read to the end
      }
      const got = [binary.finish(), await threaded.finish()];
      threaded.stop();
      const want = text.finish();
      expect(want.lines).toBeGreaterThan(data.length / 150);
      for (const identity of got) {
        expect(identity.lines).toBeUndefined();
        expect(identity.sha256).toBe(want.sha256);
        expect(Buffer.compare(identity.checkpoints, want.checkpoints)).toBe(0);
        expect([...identity.probes]).toEqual([...want.probes]);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('a file that cannot be opened fails at once, with the system message', () => {
    expect(() => new ReadingHashThread('/nonexistent/capture.scap', [])).toThrow(/ENOENT/);
  });

  it('the importing side reads the chunks it needs itself, but never into a slot not yet hashed', () => {
    const tmp = tempDir();
    try {
      const file = tmp.path('data.bin');
      const data = randomBytes((READ_SLOTS + 3) * SLOT_BYTES);
      writeFileSync(file, data);
      const fd = openSync(file, 'r');
      try {
        // No hashing thread at all: the importing side reads chunk after chunk itself …
        const consumer = new ReadRingConsumer(newReadRing(), fd, 300);
        for (let k = 0; k < READ_SLOTS; k++) {
          const chunk = consumer.next();
          expect(chunk && Buffer.compare(chunk, data.subarray(k * SLOT_BYTES, (k + 1) * SLOT_BYTES))).toBe(0);
          consumer.release();
        }
        // … until the next slot still holds a chunk the hashing side has not had.
        expect(() => consumer.next()).toThrow(/made no progress/);
      } finally {
        closeSync(fd);
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('an import stopped early ends the thread without waiting for it', async () => {
    const threaded = new ContentHashThread([]);
    threaded.update(randomBytes(2 * SLOT_BYTES));
    threaded.stop();
    await expect(threaded.finish()).rejects.toThrow(/stopped/);
  });
});

describe('import hashing in the helper thread', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('records the sha256 of the file and of its content, and knows the file again', async () => {
    const file = tmp.path('big.jsonl');
    await generateJsonl(file, { execs: 40_000, seed: 11 });
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(HASH_SLOTS * SLOT_BYTES); // the ring fills and wraps
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    const db = openCaseForWrite(tmp.path('big.db'));
    try {
      const first = await importFile(db, file, { hashThread: true });
      expect(first.outcome).toBe('imported');
      expect(first.sha256).toBe(want);
      const row = db.prepare('SELECT sha256, content_sha256, content_bytes FROM captures WHERE capture_id = ?').get(first.captureId) as {
        sha256: string;
        content_sha256: string;
        content_bytes: bigint;
      };
      expect(row).toEqual({ sha256: want, content_sha256: want, content_bytes: BigInt(size) });
      expect((await importFile(db, file, { hashThread: true })).outcome).toBe('already imported');
    } finally {
      db.close();
    }
  }, 120_000);
});

describe('a plain .scap read straight into the ring', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('gives the rows and identity of hashing in line, the ring wrapping many times', async () => {
    const file = tmp.path('big.scap');
    generateScap(file, 3 * READ_SLOTS * SLOT_BYTES + 5_000);
    const want = createHash('sha256').update(readFileSync(file)).digest('hex');
    const rowsOf = async (hashThread: boolean) => {
      const db = openCaseForWrite(tmp.path(`ring-${hashThread}.db`));
      try {
        const r = await importFile(db, file, { hashThread });
        const c = db.prepare('SELECT sha256, content_sha256, content_bytes, content_checkpoints FROM captures').get();
        const execs = db.prepare('SELECT * FROM execs ORDER BY exec_id').all();
        return { r, c, execs };
      } finally {
        db.close();
      }
    };
    const threaded = await rowsOf(true);
    const inLine = await rowsOf(false);
    expect(threaded.r.sha256).toBe(want);
    expect(threaded.r.execs).toBeGreaterThan(1000);
    expect(threaded.c).toEqual(inLine.c);
    expect(threaded.execs).toEqual(inLine.execs);
  }, 120_000);
});

describe('hash ring', () => {
  it('a hashing side that fails stops the writer with an error instead of leaving it waiting', () => {
    const ring = newRing();
    const writer = new RingWriter(ring, 1000);
    writer.write(Buffer.alloc(10));
    expect(() =>
      drainRing(ring, () => {
        throw new Error('hash failed');
      }),
    ).toThrow('hash failed');
    expect(() => writer.write(Buffer.alloc(HASH_SLOTS * SLOT_BYTES))).toThrow(/hashing thread stopped/);
  });

  it('a writer whose reader never takes a slot gives up after its stall time', () => {
    const writer = new RingWriter(newRing(), 300);
    expect(() => writer.write(Buffer.alloc((HASH_SLOTS + 1) * SLOT_BYTES))).toThrow(/no progress for 0.3 s/);
  });
});
