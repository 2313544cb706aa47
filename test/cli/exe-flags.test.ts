import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { HAVE_CAPTURES, captureFiles } from '../scap/shared-captures.js';

const HAVE_SYSDIG = spawnSync('sysdig', ['--version']).status === 0;
if (!HAVE_CAPTURES) console.warn('SKIPPED exe-flags: ../shared/captures is missing');
if (!HAVE_SYSDIG) console.warn('SKIPPED exe-flags: sysdig is not installed (.ci/run installs it)');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe.skipIf(!HAVE_CAPTURES || !HAVE_SYSDIG)('evt.arg.flags of execve, rebuilt from the exe_* columns', () => {
  it('prints what sysdig prints on every capture that records the flags', () => {
    let compared = 0;
    for (const capture of captureFiles()) {
      if (capture.includes('comments')) continue; // sysdig 0.29.3 cannot open it
      const sysdig = spawnSync(
        'sysdig',
        ['-r', capture, '-p', '%evt.num %proc.name %evt.arg.flags', 'evt.type in (execve, execveat) and evt.dir=< and evt.arg.flags exists'],
        { encoding: 'utf8' },
      );
      const expected = sysdig.stdout.trim();
      if (expected === '') continue;
      const db = tmp.path(`${compared}.db`);
      expect(runCli(['import', capture, '--db', db, '-q']).code).toBe(0);
      const ours = runCli(['execs', '-p', '%evt.num %proc.name %evt.arg.flags', '--db', db]).stdout.trim();
      expect({ capture, lines: ours.split('\n') }).toEqual({ capture, lines: expected.split('\n') });
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  });
});
