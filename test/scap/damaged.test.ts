import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.js';
import { buildCapture } from '../support/scap-writer/capture-builder.js';
import { importCapture } from './scap-harness.js';

const THREADS = [
  { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' },
  { tid: 1000, pid: 1000, ptid: 1, comm: 'bash', exe: 'bash' },
];

/** Offsets of every block in a capture, in order. */
function blockOffsets(cap: Buffer): number[] {
  const out: number[] = [];
  for (let at = 0; at < cap.length; at += cap.readUInt32LE(at + 4)) out.push(at);
  return out;
}

function story(): Buffer {
  return buildCapture({ hostname: 'h', threads: THREADS }, (b) => {
    b.fork(1000, 2000).exec(2000, { filename: '/usr/bin/first' });
    b.filler(2000, 4);
    b.fork(1000, 2001).exec(2001, { filename: '/usr/bin/second' });
  });
}

describe('damaged scap captures', () => {
  it('names the byte offset and block type of a corrupt block in the middle', async () => {
    const cap = story();
    const offsets = blockOffsets(cap);
    const victim = offsets[offsets.length - 8] as number; // a filler event block
    const damaged = Buffer.from(cap);
    damaged.writeUInt32LE(0xdeadbeef, victim + damaged.readUInt32LE(victim + 4) - 4); // break its trailer
    const err = await importCapture(damaged, 'corrupt').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location.offset).toBe(victim);
    expect((err as InputError).message).toMatch(new RegExp(`at byte ${victim}: corrupt block \\(EV_V2 \\(0x216\\)\\): trailer length`));
  });

  it('with --skip-corrupt, skips the damaged stretch, warns, and reads the blocks after it', async () => {
    const cap = story();
    const offsets = blockOffsets(cap);
    const victim = offsets[offsets.length - 8] as number;
    const damaged = Buffer.from(cap);
    damaged.writeUInt32LE(7, victim + 4); // an impossible block length
    const imp = await importCapture(damaged, 'skip-corrupt', { skipBad: true });
    expect(imp.result.status).toBe('complete');
    expect(imp.all<{ name: string }>("SELECT name FROM execs WHERE kind = 'exec' ORDER BY exec_id").map((r) => r.name)).toEqual(['first', 'second']);
    const warnings = imp.all<{ byte_offset: bigint; message: string }>('SELECT byte_offset, message FROM capture_warnings');
    expect(warnings.map((w) => Number(w.byte_offset))).toEqual([victim, victim]);
    expect(warnings[0]?.message).toMatch(/block length 7 is below/);
    expect(warnings[1]?.message).toMatch(/skipped \d+ bytes of damaged data/);
  });

  it('refuses a file that only looks like scap, naming the problem', async () => {
    const cap = story();
    const damaged = Buffer.from(cap);
    damaged.writeUInt16LE(2, 12); // SHB major version 2
    await expect(importCapture(damaged, 'bad-version')).rejects.toThrow(/at byte 0: corrupt SHB \(0xa0d0d0a\) block: section version 2\.2/);
  });
});
