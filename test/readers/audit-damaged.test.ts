import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { auditReader } from '../../src/capture/audit/audit-reader.js';
import { laurelReader } from '../../src/capture/audit/laurel-reader.js';
import type { CaptureReader, ImportWarning } from '../../src/capture/reader.js';
import type { LineageEvent } from '../../src/events/lineage-event.js';

/** The events and warnings a reader gives for `text`, read by the reader itself (no case). */
async function read(reader: CaptureReader, text: string, skipBad: boolean): Promise<{ events: LineageEvent[]; warnings: ImportWarning[] }> {
  const warnings: ImportWarning[] = [];
  const ctx = { file: 'x.log', skipBad, options: {}, warn: (w: ImportWarning) => warnings.push(w), markTruncated() {}, setCaptureInfo() {} };
  const events: LineageEvent[] = [];
  for await (const batch of reader.read({ stream: Readable.from([Buffer.from(text)]), path: 'x.log', siblings: [] }, ctx)) events.push(...batch);
  return { events, warnings };
}

const SYSCALL = (serial: number, pid: number) =>
  `type=SYSCALL msg=audit(1700000000.100:${serial}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=${pid} auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm="sh" exe="/bin/sh" key=(null)`;

describe('damaged records of an event are reported with the event, never thrown past the reader', () => {
  it('audit: an EXECVE whose argc is no count is skipped with a warning at the event, or stops the import naming the file and line', async () => {
    const text = [
      SYSCALL(1, 10),
      'type=EXECVE msg=audit(1700000000.100:1): argc=-1 a0="sh"',
      'type=EOE msg=audit(1700000000.100:1): ',
      SYSCALL(2, 11),
      'type=EXECVE msg=audit(1700000000.100:2): argc=1 a0="true"',
      'type=EOE msg=audit(1700000000.100:2): ',
      '',
    ].join('\n');
    const skipped = await read(auditReader, text, true);
    expect(skipped.events).toMatchObject([{ kind: 'exec', pid: 11 }]);
    expect(skipped.events).toHaveLength(1);
    expect(skipped.warnings).toEqual([{ location: { file: 'x.log', line: 1 }, message: 'skipped: EXECVE: bad argc' }]);
    await expect(read(auditReader, text, false)).rejects.toThrow(/x\.log:1\b.*EXECVE: bad argc/);
  });

  it('laurel: a PATH element that is not an object is not item 0 (a null one used to stop the import with a TypeError)', async () => {
    const line = {
      ID: '1700000000.100:3',
      SYSCALL: { arch: '0xc000003e', syscall: 59, success: 'no', exit: -2, ppid: 1, pid: 12, SYSCALL: 'execve' },
      PATH: [null, 'x', [], { item: 0, name: '/opt/missing' }],
    };
    const { events, warnings } = await read(laurelReader, `${JSON.stringify(line)}\n`, false);
    expect(warnings).toEqual([]);
    expect(events).toMatchObject([{ kind: 'exec', pid: 12, ok: false, errno: 2, exepath: '/opt/missing' }]);
  });
});
