import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CHECKPOINT_DIGEST_BYTES } from '../../src/importer/content-hash.js';
import { newCase } from '../readers/sample-case.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';

const CURL = join(CAPTURES_DIR, 'libs__curl_google.scap');

/** Whole sha256 digests of the content's prefixes at 4 KiB and every 64 KiB: what cases stored before. */
function wholeDigestCheckpoints(content: Buffer): Buffer {
  const offsets = [4096];
  for (let k = 65_536; k <= content.length; k += 65_536) offsets.push(k);
  return Buffer.concat(offsets.map((k) => createHash('sha256').update(content.subarray(0, k)).digest()));
}

describe.skipIf(!HAVE_CAPTURES)('capture checkpoints: short digests, and the whole digests of earlier cases', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('stores the first bytes of each checkpoint digest', async () => {
    c = newCase();
    const content = gunzipSync(readFileSync(CURL));
    const full = await c.import(CURL);
    const stored = c.db.prepare('SELECT content_checkpoints FROM captures WHERE capture_id = ?').pluck().get(full.captureId) as Buffer;
    const whole = wholeDigestCheckpoints(content);
    expect(stored.length).toBe((whole.length / 32) * CHECKPOINT_DIGEST_BYTES);
    expect(stored.length).toBeGreaterThan(CHECKPOINT_DIGEST_BYTES * 2);
    for (let i = 0; i < whole.length / 32; i++) {
      expect(stored.subarray(i * CHECKPOINT_DIGEST_BYTES, (i + 1) * CHECKPOINT_DIGEST_BYTES)).toEqual(whole.subarray(i * 32, i * 32 + CHECKPOINT_DIGEST_BYTES));
    }
  });

  it('a capture stored with whole digests is still found: its truncated copy is a prefix of it', async () => {
    c = newCase();
    const content = gunzipSync(readFileSync(CURL));
    const full = await c.import(CURL);
    c.db.prepare('UPDATE captures SET content_checkpoints = ? WHERE capture_id = ?').run(wholeDigestCheckpoints(content), full.captureId);
    const cut = c.path('cut.scap');
    writeFileSync(cut, content.subarray(0, 140_000));
    const r = await c.import(cut);
    expect(r.outcome).toBe(`prefix of capture ${full.captureId}`);
  });

  it('a stored digest that differs is not a prefix', async () => {
    c = newCase();
    const content = gunzipSync(readFileSync(CURL));
    const full = await c.import(CURL);
    const wrong = wholeDigestCheckpoints(content);
    wrong[32] = (wrong[32] as number) ^ 0xff; // the 64 KiB checkpoint
    c.db.prepare('UPDATE captures SET content_checkpoints = ? WHERE capture_id = ?').run(wrong, full.captureId);
    const cut = c.path('cut.scap');
    writeFileSync(cut, content.subarray(0, 140_000));
    const r = await c.import(cut);
    expect(r.outcome).not.toBe(`prefix of capture ${full.captureId}`);
  });
});
