import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ImportWarning } from '../../src/capture/reader.js';
import { scapReader } from '../../src/capture/scap/scap-reader.js';
import { openCaseForWrite } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { isPedigreeError } from '../../src/util/errors.js';
import { HAVE_CAPTURES, captureFiles } from './shared-captures.js';
import { scratchDir } from './scap-harness.js';
import { Rng } from '../../bench/lib/rng.js';

/** Deterministic PRNG so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  const g = new Rng(seed);
  return () => g.next();
}

function content(path: string): Buffer {
  const raw = readFileSync(path);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
}

type Mutation = { name: string; apply: (b: Buffer, r: () => number, other: Buffer) => Buffer };

const int = (r: () => number, n: number): number => Math.floor(r() * n);

const MUTATIONS: Mutation[] = [
  {
    name: 'flip bytes',
    apply(b, r) {
      const out = Buffer.from(b);
      for (let i = 0, n = 1 + int(r, 8); i < n; i++) {
        const at = int(r, out.length);
        out[at] = (out[at] ?? 0) ^ (1 << int(r, 8));
      }
      return out;
    },
  },
  {
    name: 'overwrite a block length',
    apply(b, r) {
      const out = Buffer.from(b);
      const at = int(r, out.length >> 2) << 2;
      if (at + 4 <= out.length) out.writeUInt32LE(int(r, 2) === 0 ? int(r, 0x10000) : int(r, 0x100000000) >>> 0, at);
      return out;
    },
  },
  { name: 'truncate', apply: (b, r) => b.subarray(0, int(r, b.length)) },
  {
    name: 'cut out a range',
    apply(b, r) {
      const from = int(r, b.length);
      const to = Math.min(b.length, from + 1 + int(r, 4096));
      return Buffer.concat([b.subarray(0, from), b.subarray(to)]);
    },
  },
  {
    name: 'splice in another capture',
    apply(b, r, other) {
      const at = int(r, b.length);
      const from = int(r, other.length);
      return Buffer.concat([b.subarray(0, at), other.subarray(from, from + int(r, 65536)), b.subarray(at)]);
    },
  },
];

/** Reads a buffer with the scap reader alone (no database): every outcome but a crash is fine. */
async function readAll(buf: Buffer, skipBad: boolean): Promise<{ events: number; error?: unknown }> {
  let events = 0;
  const warnings: ImportWarning[] = [];
  const ctx = {
    file: 'fuzz.scap',
    skipBad,
    options: {},
    warn: (w: ImportWarning) => warnings.push(w),
    markTruncated: () => {},
    setCaptureInfo: () => {},
  };
  try {
    for await (const batch of scapReader.read(
      { stream: Readable.from([buf.subarray(0, buf.length >> 1), buf.subarray(buf.length >> 1)]), path: 'fuzz.scap', siblings: [] },
      ctx,
    )) {
      events += batch.length;
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

describe.skipIf(!HAVE_CAPTURES)('scap reader under damaged input (fuzz)', () => {
  const files = captureFiles().filter((f) => !basename(f).startsWith('sfcollector__mpm')); // keep the run short
  const inputs = files.map(content);

  it('never throws anything but an InputError naming the byte offset, and never hangs (reader level)', async () => {
    const r = rng(0x5eed);
    let runs = 0;
    const started = Date.now();
    for (let i = 0; i < 2500; i++) {
      const src = inputs[i % inputs.length] as Buffer;
      const other = inputs[int(r, inputs.length)] as Buffer;
      const mutation = MUTATIONS[int(r, MUTATIONS.length)] as Mutation;
      const mutated = mutation.apply(src, r, other);
      const t0 = Date.now();
      for (const skipBad of [false, true]) {
        const { error } = await readAll(mutated, skipBad);
        if (error !== undefined) {
          if (!isPedigreeError(error)) throw new Error(`iteration ${i} (${mutation.name}, skipBad=${skipBad}): unexpected ${String(error)}`);
          expect(error.message).toMatch(/fuzz\.scap( at byte \d+)?: /);
        }
      }
      expect(Date.now() - t0).toBeLessThan(5000);
      runs++;
    }
    expect(runs).toBe(2500);
    process.stderr.write(`scap fuzz: ${runs} mutated captures read twice in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    // ~35 s on an idle machine; a shared, loaded one takes several times that, and the bound that
    // matters is the per-capture one above.
  }, 600_000);

  it('leaves no partial capture in the case after a failed import', async () => {
    const r = rng(0xbad);
    const dbPath = join(scratchDir(), 'fuzz-case.db');
    const db = openCaseForWrite(dbPath);
    let failed = 0;
    let imported = 0;
    try {
      for (let i = 0; i < 150; i++) {
        const src = inputs[i % inputs.length] as Buffer;
        const mutation = MUTATIONS[int(r, 2)] as Mutation; // byte damage, most likely to fail mid-file
        const path = join(scratchDir(), `fuzz-${i}.scap`);
        writeFileSync(path, mutation.apply(src, r, src));
        const before = db.prepare('SELECT (SELECT count(*) FROM captures) c, (SELECT count(*) FROM execs) e, (SELECT count(*) FROM processes) p').get();
        try {
          await importFile(db, path);
          imported++;
        } catch (err) {
          if (!isPedigreeError(err)) throw err;
          failed++;
          const after = db.prepare('SELECT (SELECT count(*) FROM captures) c, (SELECT count(*) FROM execs) e, (SELECT count(*) FROM processes) p').get();
          expect(after).toEqual(before);
        }
      }
    } finally {
      db.close();
    }
    expect(failed).toBeGreaterThan(0);
    expect(imported).toBeGreaterThan(0);
    const ro = new Database(dbPath, { readonly: true });
    expect(ro.prepare("SELECT count(*) n FROM captures WHERE status = 'importing'").get()).toEqual({ n: 0 });
    ro.close();
  });
});
