import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { cli, integrityCheck, SEED_RULES, STORY_JSONL } from './support.js';

const BUNDLED_CHAINS = fileURLToPath(new URL('../../rules/chains.yaml', import.meta.url));
const T0 = 1_732_800_000_000_000_000n;

/**
 * Hostile evidence for a bounded matcher: one command line of a million characters, and a glob
 * whose linear bound (pattern length × value length, 2·10⁹ steps) still takes minutes on it.
 */
const WIDE_CMDLINE = 'a'.repeat(1_000_000);
const SLOW_CONDITION = `evt.type = execve and proc.cmdline glob "*${'a'.repeat(2_000)}b"`;

function rule(name: string, condition: string): string {
  return `\n- rule: ${name}\n  desc: test\n  condition: ${condition}\n  output: "${name} %proc.name"\n  priority: WARNING\n`;
}

function chain(name: string, first: string, second: string): string {
  return `\n- chain: ${name}\n  desc: test\n  within: 1h\n  steps:\n    - step: a\n      condition: ${first}\n    - step: b\n      condition: ${second}\n      descendant_of: a\n  output: "${name} %b.proc.name"\n  priority: WARNING\n`;
}

describe('--rule-timeout', () => {
  const tmp = tempDir('pedigree-rule-timeout-');
  const db = tmp.path('case.db');
  const rules = tmp.path('slow-rules.yaml');
  const chains = tmp.path('slow-chains.yaml');

  beforeAll(async () => {
    const wide = { kind: 'exec', ts: String(T0), pid: 900, ppid: 1, comm: 'sh', exe: 'sh', exepath: '/bin/sh', args: ['-c', WIDE_CMDLINE], host: 'wide' };
    writeFileSync(tmp.path('wide.jsonl'), `${JSON.stringify(wide)}\n`);
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
    expect((await cli(['import', tmp.path('wide.jsonl'), '--db', db, '-q'])).code).toBe(0);
    // The slow rule sits between two ordinary ones: the run goes on after it is stopped.
    writeFileSync(
      rules,
      `${readFileSync(SEED_RULES, 'utf8')}${rule('Slow glob', SLOW_CONDITION)}${rule('Curl ran', 'evt.type = execve and proc.name = curl')}`,
    );
    writeFileSync(
      chains,
      chain('Slow chain', SLOW_CONDITION, 'evt.type = execve') +
        chain('Shell runs curl', 'evt.type = execve and proc.name = sh', 'evt.type = execve and proc.name = curl'),
    );
  }, 120_000);
  afterAll(() => tmp.cleanup());

  it('rules run stops a rule at the limit, names it and the limit, still prints the other rules, and exits 65', async () => {
    const started = Date.now();
    const r = await cli(['rules', 'run', rules, '--db', db, '--no-save', '--rule-timeout', '1s']);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.stderr).toContain("pedigree: rule 'Slow glob' timed out: its query ran longer than --rule-timeout 1s and was stopped");
    expect(r.stdout).toContain('Shell spawned in a container by a non-shell parent');
    expect(r.stdout).toContain('Curl ran curl');
    expect(r.stdout).not.toContain('Slow glob');
    expect(r.stderr).toMatch(/2 rules run, \d+ alerts; 1 failed/);
    expect(r.code).toBe(65);
    expect(integrityCheck(db)).toBe('ok');
  }, 120_000);

  it('--json adds one line per timed-out rule after the alerts', async () => {
    const r = await cli(['rules', 'run', rules, '--db', db, '--no-save', '--json', '--rule-timeout', '500ms']);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({ rule: 'Slow glob', failed: true, error: 'timed out after 500ms', timed_out: true, rule_timeout_ms: 500 });
    expect(lines.filter((l) => l.rule === 'Curl ran').length).toBeGreaterThan(0);
    expect(lines.filter((l) => l.rule === 'Spawn Shell in Container')).toHaveLength(1);
    expect(r.code).toBe(65);
  }, 120_000);

  it('chains run stops a chain at the limit and still runs and prints the others', async () => {
    const r = await cli(['chains', 'run', BUNDLED_CHAINS, chains, '--db', db, '--no-save', '--rule-timeout', '1']);
    expect(r.stderr).toContain("pedigree: chain 'Slow chain' timed out: its query ran longer than --rule-timeout 1s and was stopped");
    expect(r.stdout).toContain('Payload fetched and run by a service'); // bundled, before the slow chain
    expect(r.stdout).toContain('Shell runs curl curl'); // after it
    expect(r.code).toBe(65);
    const json = await cli(['chains', 'run', BUNDLED_CHAINS, chains, '--db', db, '--no-save', '--json', '--rule-timeout', '1s']);
    expect(json.stdout.trim().split('\n').at(-1)).toBe(
      JSON.stringify({ chain: 'Slow chain', failed: true, error: 'timed out after 1s', timed_out: true, rule_timeout_ms: 1000 }),
    );
  }, 120_000);

  it('refuses a limit it cannot read', async () => {
    const r = await cli(['rules', 'run', rules, '--db', db, '--rule-timeout', 'soon']);
    expect(r.code).toBe(2);
  });
});
