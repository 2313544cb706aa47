import { writeFileSync } from 'node:fs';
import { constants, createGzip, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, integrityCheck, STORY_JSONL } from './support.js';

const T0 = 1_732_800_000_000_000_000n;
const RECORDS = 20_000;
const BEFORE_DAMAGE = 12_345;

function record(i: number): string {
  return `${JSON.stringify({ kind: 'exec', ts: String(T0 + BigInt(i) * 1000n), pid: 1000 + i, ppid: 1, comm: 'sh', exe: 'sh', exepath: '/bin/sh', args: ['-c', `step ${i}`], host: 'gz' })}\n`;
}

/**
 * A gzip'd JSON-lines file whose deflate stream is damaged in the middle: the block after
 * record BEFORE_DAMAGE starts with the reserved block type, which zlib refuses where it meets it
 * (a flipped bit in a block header). Returns the file and the compressed offset of the damage.
 */
async function damagedGzip(): Promise<{ bytes: Buffer; damageAt: number }> {
  const gz = createGzip();
  const parts: Buffer[] = [];
  gz.on('data', (d: Buffer) => parts.push(d));
  for (let i = 0; i < BEFORE_DAMAGE; i++) gz.write(record(i));
  await new Promise<void>((resolve) => gz.flush(constants.Z_FULL_FLUSH, () => resolve()));
  const damageAt = Buffer.concat(parts).length;
  for (let i = BEFORE_DAMAGE; i < RECORDS; i++) gz.write(record(i));
  gz.end();
  await new Promise((resolve) => gz.on('end', resolve));
  const bytes = Buffer.concat(parts);
  bytes[damageAt] = 0b110; // not final, block type 3 (reserved)
  expect(() => gunzipSync(bytes)).toThrow(/invalid block type/);
  return { bytes, damageAt };
}

describe('a gzip file damaged mid-stream', () => {
  const tmp = tempDir('pedigree-gzip-damage-');
  const file = tmp.path('damaged.jsonl.gz');
  let damageAt = 0;

  beforeAll(async () => {
    const made = await damagedGzip();
    damageAt = made.damageAt;
    // More than one 64 KiB read precedes the damage, so the piece zlib fails in holds good content too.
    expect(damageAt).toBeGreaterThan(64 * 1024);
    writeFileSync(file, made.bytes);
  });
  afterAll(() => tmp.cleanup());

  it('without --skip-bad is an input error that writes nothing', async () => {
    const db = tmp.path('strict.db');
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
    const r = await cli(['import', file, '--db', db]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/damaged\.jsonl\.gz at byte \d+: gzip stream corrupt at compressed byte \d+/);
    expect(captureRows(db)).toEqual([{ path: STORY_JSONL, status: 'complete' }]);
    expect(integrityCheck(db)).toBe('ok');
  }, 120_000);

  it('with --skip-bad imports every record before the damage, says where and how many were kept', async () => {
    const db = tmp.path('skip.db');
    const r = await cli(['import', file, '--db', db, '--skip-bad', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      `warning: ${file} at byte ${damageAt}: gzip stream corrupt at compressed byte ${damageAt} (zlib: invalid block type); kept the ${BEFORE_DAMAGE} records before it (--skip-bad), the rest of the file is not read`,
    );
    const q = await cli(['query', "SELECT count(*) AS n, min(pid) AS lo, max(pid) AS hi FROM execs WHERE name = 'sh'", '--db', db, '--json']);
    expect(JSON.parse(q.stdout)).toEqual([{ n: BEFORE_DAMAGE, lo: 1000, hi: 1000 + BEFORE_DAMAGE - 1 }]);
    expect(captureRows(db)).toEqual([{ path: file, status: `truncated at byte ${damageAt}` }]);
    expect(integrityCheck(db)).toBe('ok');
  }, 120_000);
});
