import { spawnSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { tempDir } from '../support/temp-case.js';
import { cli, integrityCheck } from './support.js';

const haveSysdig = spawnSync('sysdig', ['--version'], { encoding: 'utf8' }).status === 0;
if (!haveSysdig) console.warn('SKIPPED ancestor fields against sysdig: sysdig is not installed (apt-get install sysdig)');

/** Every documented index of proc.aname, 0..64, in one -p format (each a field of its own). */
const EVERY_DEPTH = Array.from({ length: 65 }, (_v, i) => `%proc.aname[${i}]`);

/** Captures whose ancestry is deepest (systemd 7 levels above `cat`, 4 above `touch`). */
const DEEP_CAPTURES = ['falco__cat_write.scap', 'sfcollector__alpine_alpine.scap', 'bencer-examples__example4-1.scap'];

describe('ancestor fields at any depth', () => {
  const tmp = tempDir('pedigree-ancestor-fields-');
  afterAll(() => tmp.cleanup());

  describe.skipIf(!HAVE_CAPTURES || !haveSysdig)('against sysdig 0.29.3', () => {
    // SQLite joins at most 64 tables: the 65 depths are asked in two formats (0..32, 32..64).
    const formats = [EVERY_DEPTH.slice(0, 33), EVERY_DEPTH.slice(32)].map((fields) => `*%evt.num ${fields.join(' ')}`);
    it.each(DEEP_CAPTURES)(
      '%s: proc.aname[0] … proc.aname[64] as sysdig prints them',
      async (name) => {
        const file = join(CAPTURES_DIR, name);
        const db = tmp.path(`${name}.db`);
        expect((await cli(['import', file, '--db', db, '-q'])).code).toBe(0);
        for (const format of formats) {
          const sysdig = spawnSync('sysdig', ['-r', file, '-p', format, 'evt.type in (execve, execveat) and evt.dir=<'], { encoding: 'utf8' });
          expect(sysdig.status).toBe(0);
          const ours = await cli(['execs', '-p', format, '--db', db]);
          expect(ours.stderr).toBe('');
          expect(ours.code).toBe(0);
          expect(ours.stdout.trim().split('\n')).toEqual(sysdig.stdout.trim().split('\n'));
          expect(ours.stdout).toMatch(/\S+( <NA>)+\n/); // the chain ends below depth 64
        }
      },
      120_000,
    );
  });

  describe('on a 100-deep chain of differently named programs', () => {
    const DEPTH = 100;
    const db = tmp.path('deep.db');
    const rules = tmp.path('deep-rules.yaml');
    const T0 = 1_732_800_000_000_000_000n;

    beforeAll(async () => {
      const path = tmp.path('deep.jsonl');
      const out = createWriteStream(path);
      out.write(
        `${JSON.stringify({ kind: 'snapshot', ts: String(T0), pid: 1, ppid: 0, comm: 'init', exe: '/sbin/init', exepath: '/sbin/init', args: [], host: 'deep' })}\n`,
      );
      for (let i = 1; i <= DEPTH; i++) {
        const pid = 100 + i;
        const ts = T0 + BigInt(i) * 1000n;
        out.write(`${JSON.stringify({ kind: 'fork', ts: String(ts), pid, ppid: i === 1 ? 1 : pid - 1, syscall: 'clone', host: 'deep' })}\n`);
        out.write(
          `${JSON.stringify({ kind: 'exec', ts: String(ts + 1n), pid, ppid: i === 1 ? 1 : pid - 1, comm: `p${i}`, exe: `p${i}`, exepath: `/bin/p${i}`, args: [], host: 'deep' })}\n`,
        );
      }
      out.end();
      await once(out, 'finish');
      expect((await cli(['import', path, '--db', db, '-q'])).code).toBe(0);
      const rule = (name: string, condition: string, output: string): string =>
        `- rule: ${name}\n  desc: test\n  condition: ${condition}\n  output: "${output}"\n  priority: WARNING\n`;
      writeFileSync(
        rules,
        rule('Under init', 'evt.type = execve and proc.aname = init', '%proc.name') +
          rule('Sixty-four up', 'evt.type = execve and proc.aname[64] = p36', '%proc.name %proc.aname[63] %proc.aname[64]'),
      );
    }, 120_000);

    it('execs -p reads proc.aname[64] and proc.apid[64]', async () => {
      const r = await cli(['execs', '-p', '%proc.name %proc.aname[64] %proc.apid[64] %proc.aname[5]', '--db', db]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').at(-1)).toBe(`p${DEPTH} p36 136 p95`);
    });

    it('a -p format asking for more ancestor levels than SQLite can join at once says what to change', async () => {
      const levels = Array.from({ length: 64 }, (_, i) => `%proc.aname[${i + 1}] %proc.apid[${i + 1}]`).join(' ');
      const r = await cli(['execs', '-p', `%proc.name ${levels}`, '--db', db]);
      expect(r.code).toBe(65);
      expect(r.stderr.trim()).toBe(
        'pedigree: the -p format asks for too many ancestor levels at once (SQLite joins at most 64 tables): print fewer %proc.aname[N] / %proc.apid[N] fields per run',
      );
    });

    it('a rule on any ancestor (bare proc.aname) sees past depth 64, and proc.aname[64] works in conditions and outputs', async () => {
      const r = await cli(['rules', 'run', rules, '--db', db, '--no-save', '--json']);
      expect(r.code).toBe(0);
      const alerts = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { rule: string; output: string });
      // init is an ancestor of every one of the 100, however deep.
      expect(alerts.filter((a) => a.rule === 'Under init')).toHaveLength(DEPTH);
      expect(alerts.filter((a) => a.rule === 'Sixty-four up').map((a) => a.output)).toEqual([expect.stringMatching(/ p100 p37 p36$/)]);
      expect(integrityCheck(db)).toBe('ok');
    }, 120_000);
  });
});
