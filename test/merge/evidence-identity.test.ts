import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { newCase } from '../readers/sample-case.js';
import { runCli } from '../support/run-cli.js';

const CURL = join(CAPTURES_DIR, 'libs__curl_google.scap');

function rowCounts(c: ReturnType<typeof newCase>): { execs: number; processes: number; duplicatePids: number } {
  return c.db
    .prepare(`SELECT (SELECT count(*) FROM execs) AS execs, (SELECT count(*) FROM processes) AS processes,
                (SELECT count(*) FROM (SELECT pid FROM processes GROUP BY host_id, pid HAVING count(*) > 1)) AS duplicatePids`)
    .safeIntegers(false)
    .get() as { execs: number; processes: number; duplicatePids: number };
}

describe.skipIf(!HAVE_CAPTURES)('evidence identity: the same capture in another packing or cut short', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('libs__curl_google.scap and its decompressed copy are one capture: 33 exec rows, not 65', async () => {
    c = newCase();
    const plain = c.path('curl_google.scap');
    writeFileSync(plain, gunzipSync(readFileSync(CURL)));
    const first = await c.import(CURL);
    const alone = rowCounts(c);
    const second = await c.import(plain);
    expect(first.outcome).toBe('imported');
    expect(second).toMatchObject({ outcome: `same content as capture ${first.captureId}`, sameAs: first.captureId, execs: 0 });
    expect(rowCounts(c)).toEqual(alone);
    expect(alone.execs).toBe(33);
    expect(alone.duplicatePids).toBe(0);
    const row = c.db.prepare('SELECT outcome, content_sha256, sha256 FROM captures WHERE capture_id = ?').get(second.captureId) as Record<string, string>;
    expect(row.outcome).toBe(`same content as capture ${first.captureId}`);
    const stored = c.db.prepare('SELECT content_sha256, sha256 FROM captures WHERE capture_id = ?').get(first.captureId) as Record<string, string>;
    expect(row.content_sha256).toBe(stored.content_sha256);
    expect(row.sha256).not.toBe(stored.sha256);
  });

  it('a truncated copy after the full capture is a prefix of it and adds nothing', async () => {
    c = newCase();
    const cut = c.path('cut.scap');
    writeFileSync(cut, gunzipSync(readFileSync(CURL)).subarray(0, 70_000));
    const full = await c.import(CURL);
    const before = rowCounts(c);
    const r = await c.import(cut);
    expect(r.outcome).toBe(`prefix of capture ${full.captureId}`);
    expect(r.status).toMatch(/^truncated at byte \d+$/);
    expect(rowCounts(c)).toEqual(before);
  });

  it('the full capture after a truncated copy replaces it: no pid twice, and ancestors works', async () => {
    c = newCase();
    const cut = c.path('cut.scap.gz');
    writeFileSync(cut, readFileSync(CURL).subarray(0, 15_000));
    const partial = await c.import(cut);
    expect(partial.status).toMatch(/^truncated at byte/);
    const full = await c.import(CURL);
    expect(full.outcome).toBe(`extends capture ${partial.captureId}`);
    const counts = rowCounts(c);
    expect(counts).toEqual({ execs: 33, processes: 32, duplicatePids: 0 });
    const old = c.db.prepare('SELECT outcome, same_as_capture_id FROM captures WHERE capture_id = ?').safeIntegers(false).get(partial.captureId);
    expect(old).toEqual({ outcome: `replaced by capture ${full.captureId}`, same_as_capture_id: full.captureId });
    const curlPid = c.db.prepare("SELECT pid FROM execs WHERE name = 'curl' AND kind = 'exec'").safeIntegers(false).get() as { pid: number };
    const dbFile = c.db.name;
    const out = await runCli(['ancestors', '--pid', String(curlPid.pid), '--db', dbFile]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/curl/);
    const captures = await runCli(['captures', '--db', dbFile, '--json']);
    const listed = JSON.parse(captures.stdout) as { capture: number; outcome: string }[];
    expect(listed.map((l) => l.outcome)).toEqual([`replaced by capture ${full.captureId}`, `extends capture ${partial.captureId}`]);
  });
});
