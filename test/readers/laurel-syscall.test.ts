import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { laurelReader } from '../../src/capture/audit/laurel-reader.js';
import type { LineageEvent } from '../../src/events/lineage-event.js';

/** The lineage events of laurel lines, read by the reader itself (no case). */
async function events(rows: object[]): Promise<LineageEvent[]> {
  const text = `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
  const ctx = { file: 'x.json', skipBad: false, options: {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
  const out: LineageEvent[] = [];
  for await (const batch of laurelReader.read({ stream: Readable.from([Buffer.from(text)]), path: 'x.json', siblings: [] }, ctx)) out.push(...batch);
  return out;
}

const syscall = { success: 'yes', ppid: 10, pid: 11, uid: 0, gid: 0, euid: 0, auid: 4294967295, tty: 'pts1', comm: 'sh', exe: '/bin/sh' };

describe('laurel SYSCALL fields, read in place', () => {
  it('registers come from ARGV without 0x: clone flags and the exit code', async () => {
    const [fork, exit] = await events([
      { ID: '1615114232.3:1', SYSCALL: { ...syscall, arch: '0xc000003e', syscall: 56, exit: 12, SYSCALL: 'clone', ARGV: ['0x1200011', '0x0'] } },
      { ID: '1615114232.35:2', SYSCALL: { ...syscall, arch: '0xc000003e', syscall: 231, exit: 0, SYSCALL: 'exit_group', ARGV: ['0x1f'] } },
    ]);
    expect(fork).toMatchObject({ kind: 'fork', pid: 12, ppid: 11, flags: '0x1200011', ts: 1615114232300000000n, tty: 34817, loginuid: -1 });
    expect(exit).toMatchObject({ kind: 'exit', pid: 11, code: 31, ts: 1615114232350000000n });
  });

  it('without the interpreted SYSCALL name the number is read by arch (0x-prefixed aarch64: 221 is execve)', async () => {
    const [exec] = await events([
      { ID: '1.5:3', SYSCALL: { ...syscall, arch: '0xC00000B7', syscall: 221, exit: 0, UID: 'root' }, EXECVE: { argc: 1, ARGV: ['true'] } },
    ]);
    expect(exec).toMatchObject({ kind: 'exec', pid: 11, exe: 'true', args: [], user: 'root', ts: 1500000000n });
  });

  it('interpreted (upper-case) names never stand for raw ones, and null or nested members are not fields', async () => {
    const [exec] = await events([
      {
        ID: '2.0:4',
        SYSCALL: { ...syscall, arch: 'c000003e', syscall: 59, exit: 0, SYSCALL: 'execve', COMM: 'x', comm: null, PPID: { comm: 'bash', exe: '/bin/bash' } },
      },
    ]);
    expect(exec).toMatchObject({ kind: 'exec', pid: 11, exepath: '/bin/sh', parent: { pid: 10, comm: 'bash', exepath: '/bin/bash' } });
    expect(exec).not.toHaveProperty('comm');
  });

  it('integers are read as the numbers JSON holds: -0 is 0, and a number that is no safe integer is refused as its text', async () => {
    const line = `{"ID":"1.5:5","SYSCALL":{"arch":"c000003e","syscall":59,"success":"yes","exit":0,"ppid":-0,"pid":7,"uid":0,"SYSCALL":"execve"}}`;
    const text = `${line}\n`;
    const ctx = { file: 'x.json', skipBad: false, options: {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
    const out: LineageEvent[] = [];
    for await (const batch of laurelReader.read({ stream: Readable.from([Buffer.from(text)]), path: 'x.json', siblings: [] }, ctx)) out.push(...batch);
    expect(out).toHaveLength(1);
    expect(Object.is((out[0] as { ppid?: number }).ppid, 0)).toBe(true);
    await expect(events([{ ID: '1.5:6', SYSCALL: { ...syscall, arch: 'c000003e', syscall: 59, exit: 0, SYSCALL: 'execve', pid: 1e21 } }])).rejects.toThrow(
      'SYSCALL: pid=1e+21 is not an integer',
    );
    await expect(events([{ ID: '1.5:7', SYSCALL: { ...syscall, arch: 'c000003e', syscall: 59, exit: 0, SYSCALL: 'execve', pid: 1.5 } }])).rejects.toThrow(
      'SYSCALL: pid=1.5 is not an integer',
    );
  });

  it('an ID of another shape is refused', async () => {
    await expect(events([{ ID: '1615114232:1', SYSCALL: syscall }])).rejects.toThrow('"ID" must be "seconds.ms:serial"');
    await expect(events([{ ID: '1.5:1x', SYSCALL: syscall }])).rejects.toThrow('"ID" must be "seconds.ms:serial"');
  });
});
