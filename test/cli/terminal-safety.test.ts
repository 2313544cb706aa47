import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * Names, command lines, users, paths and container names come from the evidence, which the
 * attacker wrote. None of their control characters may reach a terminal raw: not through
 * tables, trees, -p lines, Falco-style alert lines, chain steps or error messages.
 */

const ESC = '\x1b';
const BEL = '\x07';
const HOSTILE_COMM = `x${ESC}]0;PWNED${BEL}${ESC}[2J`;
const HOSTILE_ARGS = ['\rnginx -g daemon off;', `${ESC}]52;c;ZXZpbA==${BEL}`, '\u202eevil', '\u009b31m', 'tab\there'];
const HOSTILE_CWD = '/tmp/\nfake line';
const HOSTILE_USER = `mallory${ESC}[31m`;
const HOSTILE_CONTAINER = `web${ESC}[8m`;
const CONTAINER_ID = 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12';

/** Any control byte a terminal would act on; newline and tab are layout. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function hostileCapture(): string {
  const host = 'node-1';
  const ev = (o: Record<string, unknown>): string => JSON.stringify({ host, ...o });
  const lines = [
    ev({ kind: 'hostinfo', ts: '1732800000000000000', bootTs: '1732713600000000000', cpus: 2, memoryBytes: 1 }),
    ev({
      kind: 'container',
      ts: '1732800000000000000',
      id: CONTAINER_ID,
      name: HOSTILE_CONTAINER,
      image: `img${ESC}[1m:latest`,
      runtime: 'containerd',
      source: 'sample',
    }),
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
    ev({ kind: 'fork', ts: '1732800001000000000', pid: 700, ppid: 1, syscall: 'clone' }),
    ev({
      kind: 'exec',
      ts: '1732800001000100000',
      pid: 700,
      ppid: 1,
      comm: HOSTILE_COMM,
      exe: HOSTILE_COMM,
      exepath: `/tmp/${HOSTILE_COMM}`,
      args: HOSTILE_ARGS,
      cwd: HOSTILE_CWD,
      uid: 0,
      user: HOSTILE_USER,
      containerId: CONTAINER_ID,
    }),
    ev({ kind: 'exit', ts: '1732800002000000000', pid: 700, exitCode: 0 }),
    // the same pid again: `ancestors --pid 700` refuses and lists both, names included
    ev({ kind: 'fork', ts: '1732800003000000000', pid: 700, ppid: 1, syscall: 'clone' }),
    ev({
      kind: 'exec',
      ts: '1732800003000100000',
      pid: 700,
      ppid: 1,
      comm: HOSTILE_COMM,
      exe: HOSTILE_COMM,
      exepath: '/bin/sh',
      args: HOSTILE_ARGS,
      cwd: HOSTILE_CWD,
      uid: 0,
      user: HOSTILE_USER,
    }),
  ];
  return `${lines.join('\n')}\n`;
}

const RULES = `
- rule: Anything from tmp
  desc: every exec whose program lives in /tmp or is our hostile one
  condition: evt.type in (execve, execveat) and evt.dir=< and proc.pid=700
  output: odd exec (command=%proc.cmdline user=%user.name cwd=%proc.cwd container=%container.name)
  priority: WARNING
`;

const tmp = tempDir();
const db = tmp.path('hostile.db');
const capture = tmp.path('hostile.jsonl');
const rules = tmp.path('rules.yaml');

beforeAll(() => {
  writeFileSync(capture, hostileCapture());
  writeFileSync(rules, RULES);
  const r = runCli(['import', capture, '--db', db, '-q']);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => tmp.cleanup());

const COMMANDS: string[][] = [
  ['tree'],
  ['tree', '--json'],
  ['tree', '--csv'],
  ['ps'],
  ['ps', '--csv'],
  ['ps', '--json'],
  ['execs'],
  ['execs', '-p', '%proc.name %proc.cmdline %proc.cwd %user.name %container.name %container.image'],
  ['execs', '--csv'],
  ['execs', '--json'],
  ['ancestors', '--pid', '700'],
  ['ancestors', '--pid', '700', '--at', '1732800001.5'],
  ['descendants', '--pid', '1'],
  ['containers'],
  ['query', 'SELECT * FROM exec_details'],
  ['query', 'SELECT * FROM exec_details', '--csv'],
  ['queries', 'run', 'execs-from-tmp'],
  ['rules', 'run', rules, '--no-save'],
  ['rules', 'run', rules, '--no-save', '--json'],
  ['rules', 'run', rules, '--no-save', '--csv'],
  ['chains', 'run', '--no-save'],
  ['ps', '--name', HOSTILE_COMM],
  ['execs', '-p', `%proc.name ${ESC}[2J`],
  ['query', `SELECT '${ESC}]0;x${BEL}' AS "${ESC}[2J"`],
];

describe('no raw control character reaches the terminal', () => {
  it.each(COMMANDS.map((c) => [c.join(' ').replace(RAW_CONTROL, '?'), c]))('%s', (_label, args) => {
    const r = runCli([...(args as string[]), '--db', db]);
    expect(r.stdout + r.stderr, `${r.stdout}\n${r.stderr}`).not.toMatch(RAW_CONTROL);
    expect(r.code === 0 || r.code === 2, r.stderr).toBe(true);
  });

  it('tree shows the escapes visibly, as sysdig and ls -b do, and hides nothing', () => {
    const r = runCli(['tree', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('x\\x1b]0;PWNED\\x07\\x1b[2J,700 \\rnginx -g daemon off; \\x1b]52;c;ZXZpbA==\\x07 \\u202eevil \\u009b31m tab\\there');
    expect(r.stdout).toContain('{web\\x1b[8m}');
  });

  it('error messages that quote the evidence escape it too', () => {
    const r = runCli(['ancestors', '--pid', '700', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('x\\x1b]0;PWNED\\x07\\x1b[2J');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('JSON keeps the exact text (escaped as JSON, so it parses back to the same string)', () => {
    const rows = JSON.parse(runCli(['ps', '--json', '--db', db]).stdout) as { name: string; cmdline: string }[];
    expect(rows.some((r) => r.name === HOSTILE_COMM)).toBe(true);
    expect(rows.some((r) => r.cmdline?.includes('\u009b31m') && r.cmdline.includes('\u202eevil'))).toBe(true);
    const alerts = runCli(['rules', 'run', rules, '--no-save', '--json', '--db', db])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { output_fields: Record<string, string> });
    expect(alerts[0]?.output_fields['user.name']).toBe(HOSTILE_USER);
  });

  it('a Falco-style alert line keeps the newline of the cwd as \\n on one line', () => {
    const r = runCli(['rules', 'run', rules, '--no-save', '--db', db]);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('cwd=/tmp/\\nfake line');
  });
});
