import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** Pipes, bounds and exit codes as Unix tools behave (README, "Commands"). */

const tmp = tempDir();
const db = tmp.path('wide.db');
const PROCESSES = 3000;

/** A host with PROCESSES short-lived children of one shell: enough output to fill a pipe. */
function wideCapture(): string {
  const host = 'wide-1';
  const ev = (o: Record<string, unknown>): string => JSON.stringify({ host, ...o });
  const lines = [
    ev({
      kind: 'snapshot',
      ts: '1732800000000000000',
      pid: 1,
      ppid: 0,
      comm: 'systemd',
      exe: '/sbin/init',
      exepath: '/sbin/init',
      args: [],
      cwd: '/',
      uid: 0,
      user: 'root',
    }),
    ev({
      kind: 'snapshot',
      ts: '1732800000000000000',
      pid: 2,
      ppid: 1,
      comm: 'bash',
      exe: 'bash',
      exepath: '/bin/bash',
      args: [],
      cwd: '/',
      uid: 0,
      user: 'root',
    }),
  ];
  for (let i = 0; i < PROCESSES; i++) {
    const pid = 1000 + i;
    const ts = 1732800001000000000n + BigInt(i) * 1_000_000n;
    lines.push(ev({ kind: 'fork', ts: String(ts), pid, ppid: 2, syscall: 'clone' }));
    lines.push(
      ev({
        kind: 'exec',
        ts: String(ts + 1000n),
        pid,
        ppid: 2,
        comm: 'sleep',
        exe: 'sleep',
        exepath: '/bin/sleep',
        args: [String(i), 'x'.repeat(60)],
        cwd: '/',
        uid: 0,
        user: 'root',
      }),
    );
    lines.push(ev({ kind: 'exit', ts: String(ts + 500_000n), pid, exitCode: 0 }));
  }
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  const file = tmp.path('wide.jsonl');
  writeFileSync(file, wideCapture());
  const r = runCli(['import', file, '--db', db, '-q']);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => tmp.cleanup());

/** `pedigree ARGS | head -1` in bash: pedigree's own status and stderr, and what head printed. */
function pipedToHead(args: string[]): { status: number; stderr: string; stdout: string } {
  const quoted = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const script = `"${process.execPath}" "${BIN}" ${quoted} 2>"${tmp.path('stderr')}" | head -1; echo "status=\${PIPESTATUS[0]}"; cat "${tmp.path('stderr')}"`;
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
  const m = /status=(\d+)\n([\s\S]*)$/.exec(r.stdout);
  return { status: Number(m?.[1]), stderr: m?.[2] ?? '', stdout: r.stdout.slice(0, m?.index ?? 0) };
}

describe('a reader that closes the pipe early', () => {
  it.each([
    [['tree', '--db', db]],
    [['ps', '--all', '--db', db]],
    [['execs', '--db', db]],
    [['execs', '--json', '--db', db]],
    [['query', 'SELECT * FROM exec_details', '--all', '--db', db]],
    [['descendants', '--pid', '2', '--db', db]],
  ])('%j ends quietly with status 0', (args) => {
    const r = pipedToHead(args);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('bounded output says so, and names the option that lifts the bound', () => {
  it('ps stops at 1000 rows with a notice on stderr; --all lifts it', () => {
    const bounded = runCli(['ps', '--csv', '--db', db]);
    expect(bounded.stdout.trim().split('\n')).toHaveLength(1 + 1000);
    expect(bounded.stderr).toContain('showing the first 1000 processes; more exist (raise --limit, or pass --all)');
    const all = runCli(['ps', '--csv', '--all', '--db', db]);
    expect(all.stdout.trim().split('\n')).toHaveLength(1 + PROCESSES + 2);
    expect(all.stderr).toBe('');
  });

  it('tree and descendants say when --limit cut them', () => {
    const tree = runCli(['tree', '--limit', '100', '--db', db]);
    expect(tree.stdout.trim().split('\n')).toHaveLength(100);
    expect(tree.stderr).toContain('showing the first 100 processes');
    const desc = runCli(['descendants', '--pid', '2', '--limit', '10', '--db', db]);
    expect(desc.stdout.trim().split('\n')).toHaveLength(10);
    expect(desc.stderr).toContain('showing the first 10 processes');
    expect(runCli(['tree', '--db', db]).stderr).toBe('');
  });

  it('with --json the notice is a JSON object on stderr and stdout stays one array', () => {
    const r = runCli(['ps', '--json', '--limit', '5', '--db', db]);
    expect(JSON.parse(r.stdout)).toHaveLength(5);
    expect(JSON.parse(r.stderr)).toEqual({ truncated: true, shown: 5, unit: 'processes', lift: ['--limit', '--all'] });
  });

  it('execs --limit and query --limit report the rest', () => {
    expect(runCli(['execs', '--limit', '3', '--db', db]).stderr).toContain('showing the first 3 lines');
    expect(runCli(['query', 'SELECT * FROM execs', '--limit', '3', '--db', db]).stderr).toContain('showing the first 3 rows');
  });
});

describe('exit codes (README: 0 ok, 2 usage, 65 bad input data, 66 missing, 70 internal)', () => {
  it.each([
    [['--bogus']],
    [['frobnicate']],
    [['ps', '--bogus']],
    [['ps', '--limit', 'ten']],
    [['ps', '--since', 'yesterday']],
    [['rules', 'run', '--since', 'noon', 'x.yaml']],
    [['query']],
    [['rules', 'explain', 'x.yaml']],
    [['tree', '--time-format', 'local']],
    [['tree', '--tz', 'Mars/Olympus']],
    [['rules']],
  ])('%j is a usage error: 2', (args) => {
    const r = runCli([...args, '--db', db]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).not.toContain('    at ');
  });

  it('--help and --version exit 0', () => {
    expect(runCli(['--help']).code).toBe(0);
    expect(runCli(['ps', '--help']).code).toBe(0);
    expect(runCli(['--version']).code).toBe(0);
  });

  it('a case that does not exist is 66', () => {
    expect(runCli(['ps', '--db', tmp.path('nope.db')]).code).toBe(66);
  });
});

describe('one time syntax everywhere', () => {
  it.each(['1732800001.5', '1732800001500000000', '2024-11-28T13:20:01.5Z', '2024-11-28 13:20:01.500+00:00'])('%s bounds ps and rules run alike', (t) => {
    const ps = runCli(['ps', '--since', t, '--all', '--csv', '--db', db]);
    expect(ps.code, ps.stderr).toBe(0);
    // children start every ms from 13:20:01.000; 500 of them start before 13:20:01.5
    expect(ps.stdout.trim().split('\n')).toHaveLength(1 + PROCESSES - 500);
    const rules = tmp.path('sleep.yaml');
    writeFileSync(rules, '- rule: sleeps\n  desc: d\n  condition: evt.type=execve and proc.name=sleep\n  output: s %proc.pid\n  priority: INFO\n');
    const run = runCli(['rules', 'run', rules, '--since', t, '--no-save', '--csv', '--db', db]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1 + PROCESSES - 500);
  });
});
