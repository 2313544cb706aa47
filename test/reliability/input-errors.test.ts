import { randomFillSync } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/capture/line-splitter.js';
import { tempDir } from '../support/temp-case.js';
import { captureRows, cli, integrityCheck, STORY_JSONL } from './support.js';

/** Errors that are the input's or the arguments' fault exit 65/66/2 with where, never 70. */
describe('input errors', () => {
  const tmp = tempDir('pedigree-input-errors-');
  const db = tmp.path('case.db');
  const map = ['--format', 'csv', '--map', 'pid=pid,ppid=ppid,cmdline=cmdline', '--host', 'h1'];

  beforeAll(async () => {
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('a quote inside an unquoted CSV field is a literal character', async () => {
    writeFileSync(tmp.path('quote.csv'), 'pid,ppid,cmdline\n100,1,sh -c echo "hi"\n101,1,ls\n');
    const r = await cli(['import', tmp.path('quote.csv'), ...map, '--db', tmp.path('quote.db'), '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { processes: number }[])[0]?.processes).toBe(2);
    const q = await cli(['query', 'SELECT cmdline FROM execs WHERE pid = 100', '--db', tmp.path('quote.db'), '--json']);
    expect(JSON.parse(q.stdout)).toEqual([{ cmdline: 'sh -c echo "hi"' }]);
  });

  it('a CSV row that does not parse stops with file:line (65), or is skipped with --skip-bad', async () => {
    writeFileSync(tmp.path('open.csv'), 'pid,ppid,cmdline\n100,1,ls\n101,1,"never closed\n');
    const r = await cli(['import', tmp.path('open.csv'), ...map, '--db', db]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 65, stderr: expect.stringMatching(/open\.csv:\d+: Quote Not Closed/) });
    expect(captureRows(db)).toHaveLength(1);
    const skip = await cli(['import', tmp.path('open.csv'), ...map, '--db', db, '--skip-bad', '--json']);
    expect(skip.code).toBe(0);
    expect(skip.stderr).toMatch(/warning: .*open\.csv:\d+: skipped: Quote Not Closed/);
  });

  it('random bytes read as CSV are refused with a place (65)', async () => {
    const bytes = Buffer.alloc(64 * 1024);
    randomFillSync(bytes);
    writeFileSync(tmp.path('random.bin'), bytes);
    const r = await cli(['import', tmp.path('random.bin'), '--format', 'csv', '--db', db]);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/random\.bin(:\d+| at byte \d+): /);
    expect(integrityCheck(db)).toBe('ok');
  });

  it(`a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB is refused in linear time and bounded memory`, async () => {
    const path = tmp.path('long.jsonl');
    const out = createWriteStream(path);
    out.write('{"kind":"exec","ts":"1","pid":5,"comm":"x","args":["');
    const block = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < MAX_LINE_BYTES / block.length + 2; i++) if (!out.write(block)) await once(out, 'drain');
    out.end('"]}\n');
    await once(out, 'finish');
    const before = captureRows(db).length;
    const started = Date.now();
    const r = await cli(['import', path, '--format', 'jsonl', '--db', db]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`long.jsonl:1: line 1 is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(captureRows(db)).toHaveLength(before);
  }, 120_000);

  it('gzip damage says where it is; a bad CRC on complete content warns and imports', async () => {
    const content = readFileSync(STORY_JSONL);
    const damaged = gzipSync(content);
    damaged[30] = (damaged[30] as number) ^ 0xff; // inside the first deflate block
    writeFileSync(tmp.path('early.jsonl.gz'), damaged);
    const r = await cli(['import', tmp.path('early.jsonl.gz'), '--db', db]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 65,
      stderr: expect.stringMatching(/early\.jsonl\.gz at byte \d+: gzip stream corrupt at compressed byte \d+ \(zlib: /),
    });

    const badCrc = gzipSync(content);
    badCrc[badCrc.length - 8] = (badCrc[badCrc.length - 8] as number) ^ 0x01; // the trailer's CRC
    writeFileSync(tmp.path('crc.jsonl.gz'), badCrc);
    const crcDb = tmp.path('crc.db');
    const imported = await cli(['import', tmp.path('crc.jsonl.gz'), '--db', crcDb, '--json']);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/warning: .*crc\.jsonl\.gz at byte \d+: the gzip trailer's CRC does not match the content/);
    const plain = await cli(['import', STORY_JSONL, '--db', tmp.path('plain.db'), '--json']);
    const counts = (out: string) => (JSON.parse(out) as { events: number; execs: number }[]).map(({ events, execs }) => ({ events, execs }));
    expect(counts(imported.stdout)).toEqual(counts(plain.stdout));
  });

  it("SQL that SQLite refuses in --where is the user's (65); a time past 64 bits is a usage error (2)", async () => {
    const where = await cli(['execs', '-p', '%proc.name', '--where', 'bogus syntax(', '--db', db]);
    expect({ code: where.code, stderr: where.stderr }).toEqual({ code: 65, stderr: expect.stringContaining('--where') });
    const since = await cli(['ps', '--since', '99999999999999999999999999', '--db', db]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('past the largest time a case can hold');
  });
});
