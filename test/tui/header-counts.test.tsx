import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { runCli } from '../support/run-cli.js';
import { waitForFrame } from './support/frames.js';

// A capture whose per-capture exec total (every image, forks included) differs from its execve count.
const CAPTURE = join(CAPTURES_DIR, 'sfcollector__mpm-preforked_full_capture.scap');

if (!HAVE_CAPTURES) console.warn('SKIPPED header-counts: ../shared/captures is missing');

describe.skipIf(!HAVE_CAPTURES)('TUI header counts = what the tables and the CLI list (real capture)', () => {
  let dir: string;
  let dbPath: string;
  let source: CaseSource;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'pedigree-tui-counts-'));
    dbPath = join(dir, 'case.db');
    expect(runCli(['import', CAPTURE, '--db', dbPath]).code).toBe(0);
    source = openCaseSource(dbPath);
  });
  afterAll(async () => {
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('header processes = `ps --all --json` rows = the host line; header execs = `execs --all --json` rows', async () => {
    const ps = JSON.parse(runCli(['ps', '--all', '--json', '--db', dbPath]).stdout) as unknown[];
    const execs = JSON.parse(runCli(['execs', '--all', '--json', '--db', dbPath]).stdout) as unknown[];
    const app = render(<App source={source} fallbackSize={{ columns: 140, rows: 30 }} />);
    try {
      const frame = await waitForFrame(app.lastFrame, (f) => / processes · [\d,]+ execs/.test(f));
      const header = /([\d,]+) processes · ([\d,]+) execs/.exec(frame);
      const hostLine = /^[ ›] \S+ {2}([\d,]+) processes$/m.exec(frame);
      expect(Number(header?.[1]?.replaceAll(',', ''))).toBe(ps.length);
      expect(Number(hostLine?.[1]?.replaceAll(',', ''))).toBe(ps.length);
      expect(Number(header?.[2]?.replaceAll(',', ''))).toBe(execs.length);
      expect(ps.length).toBeGreaterThan(50);
      expect(execs.length).toBeGreaterThan(0);
    } finally {
      app.unmount();
    }
  });
});
