import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HAVE_DATASETS, newCase, sample } from '../readers/sample-case.js';

describe('an import that yields nothing says so', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('--format sysmon on random bytes: a warning with what was seen, kept on the capture', async () => {
    c = newCase();
    const file = c.path('random.bin');
    writeFileSync(file, randomBytes(3000));
    const r = await c.import(file, { format: 'sysmon' });
    expect(r.events).toBe(0);
    expect(r.warnings).toBe(1);
    const w = c.db.prepare('SELECT message FROM capture_warnings WHERE capture_id = ?').pluck().get(r.captureId) as string;
    expect(w).toMatch(/none recognised as sysmon records: the content starts with "/);
    // Raw bytes never reach the message: only printable ASCII.
    expect(w).toMatch(/^[\x20-\x7e…]+$/);
    expect(c.db.prepare('SELECT warning_count FROM captures WHERE capture_id = ?').pluck().get(r.captureId)).toBe(1n);
  });

  it.skipIf(!HAVE_DATASETS)('an audit log read as Sysmon: counts its lines and shows how the first starts', async () => {
    c = newCase();
    const r = await c.import(sample('laurel-testdata/shell-proc-trace.txt'), { format: 'sysmon' });
    expect(r).toMatchObject({ events: 0, status: 'complete', warnings: 1 });
    const w = c.db.prepare('SELECT message FROM capture_warnings WHERE capture_id = ?').pluck().get(r.captureId) as string;
    expect(w).toBe('75 lines, none recognised as sysmon records: the content starts with "# Trace of a script:"');
  });
});
