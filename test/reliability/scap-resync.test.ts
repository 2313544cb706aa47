import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPTURES_DIR, HAVE_CAPTURES, truthFormat } from '../scap/shared-captures.js';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, integrityCheck } from './support.js';

/** A real capture (gzip'd in ../shared) whose one exec comes 13.6 KB before the end. */
const CAPTURE = 'falco__cat_write.scap';
const EVENT_BLOCKS = new Set([0x204, 0x8010abcd, 0x216, 0x221, 0x208, 0x217, 0x222]);
const MAX_SMALL_EVENT_BLOCK = 65536 + 8;

/** Offset of every event block, in order (evt.num N is at index N - 1). */
function eventBlockOffsets(cap: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at + 8 <= cap.length; at += cap.readUInt32LE(at + 4)) if (EVENT_BLOCKS.has(cap.readUInt32LE(at))) out.push(at);
  return out;
}

describe.skipIf(!HAVE_CAPTURES)('a .scap whose block length is corrupted near the end', () => {
  const tmp = tempDir('pedigree-scap-resync-');
  afterAll(() => tmp.cleanup());

  const capture = HAVE_CAPTURES ? gunzipSync(readFileSync(join(CAPTURES_DIR, CAPTURE))) : Buffer.alloc(0);
  const truth = HAVE_CAPTURES
    ? readFileSync(join(CAPTURES_DIR, `${CAPTURE}.truth.tsv`), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t'))
    : [];
  const execEvtNum = Number(truth[0]?.[0]);
  // The event block just before the exec; its length made to run past the end of the file
  // (still below libscap's bound for an event block, so only the missing trailer betrays it).
  const victim = eventBlockOffsets(capture)[execEvtNum - 2] ?? 0;
  const victimLength = HAVE_CAPTURES ? capture.readUInt32LE(victim + 4) : 0;
  const damaged = tmp.path('damaged.scap');
  if (HAVE_CAPTURES) {
    const copy = Buffer.from(capture);
    copy.writeUInt32LE(MAX_SMALL_EVENT_BLOCK - 8, victim + 4);
    writeFileSync(damaged, copy);
  }

  it('is damage, not truncation: without --skip-corrupt the import stops (65) naming the block and writes nothing', async () => {
    expect(truth).toHaveLength(1);
    expect(capture.length - victim).toBeLessThan(MAX_SMALL_EVENT_BLOCK - 8); // the claimed length runs past the end
    const db = tmp.path('strict.db');
    const r = await cli(['import', damaged, '--db', db]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(
      `damaged.scap at byte ${victim}: corrupt block (EV (0x204)): block length 65536 runs past the end of the file, yet an intact block follows at byte ${victim + victimLength}`,
    );
    expect(captureRows(db)).toEqual([]);
  }, 120_000);

  it('with --skip-corrupt resynchronises on the next intact block, reports the skipped bytes, and keeps the exec sysdig saw', async () => {
    const db = tmp.path('resync.db');
    const r = await cli(['import', damaged, '--db', db, '--skip-corrupt']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`damaged.scap at byte ${victim}: skipped ${victimLength} bytes of damaged data (bytes ${victim}..${victim + victimLength})`);
    expect(r.stderr).not.toContain('truncated');
    expect(captureRows(db)).toEqual([{ path: damaged, status: 'complete' }]);
    const format = truthFormat();
    const execs = await cli(['execs', '--db', db, '-p', format]);
    expect(execs.code).toBe(0);
    const got = execs.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    // One event block was skipped, so the exec's event number is one lower than sysdig's.
    const want = truth.map(([evtNum, ...rest]) => [String(Number(evtNum) - 1), ...rest]);
    expect(got).toEqual(want);
    expect(integrityCheck(db)).toBe('ok');
  }, 120_000);
});
