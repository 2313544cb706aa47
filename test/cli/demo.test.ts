import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** `npm start` runs `pedigree demo`: the bundled sample, the seed rule and the bundled chains. */

const dir = tempDir('pedigree-demo-');
afterAll(() => dir.cleanup());

describe('pedigree demo --no-tui', () => {
  it('imports the sample, raises the alert and shows the attack chain with its lineage path', () => {
    const r = runCli(['demo', '--no-tui', '--db', dir.path('demo.db')], { env: { TZ: 'UTC' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/imported samples\/story\.(scap|jsonl): 17 processes/);
    expect(r.stdout).toContain('Warning Shell spawned in a container by a non-shell parent');
    const chains = r.stdout.slice(r.stdout.indexOf('== Attack chains'), r.stdout.indexOf('== Process tree'));
    expect(chains).toMatch(/Critical Payload fetched and run by a service's shell \(run=x exepath=\/tmp\/x fetch=curl -s -o \/tmp\/x/);
    expect(chains).toMatch(/ {2}fetch +exec \d+ +curl,4002 +sh,4001 → curl,4002\n/);
    expect(chains).toMatch(/ {2}run +exec \d+ +x,4005 +sh,4001 → x,4005\n/);
    expect(chains).toContain('Error Credential file read under a service');
  });
});
