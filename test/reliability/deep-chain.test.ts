import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { cli } from './support.js';

/** Shells nested between a web server and the tool it finally runs: deeper than any fixed walk limit. */
const LEVELS = 200;
const T0 = 1_732_800_000_000_000_000n;

const CHAIN = `
- chain: Tool run far below a web server
  desc: a download tool anywhere under nginx
  within: 1h
  steps:
    - step: server
      condition: evt.type = execve and proc.name = nginx
    - step: tool
      condition: evt.type = execve and proc.name = curl
      descendant_of: server
  output: tool=%tool.proc.cmdline
  priority: WARNING
`;

function deepCapture(): string {
  const lines: string[] = [
    JSON.stringify({ kind: 'snapshot', ts: String(T0), pid: 1, ppid: 0, comm: 'init', exe: '/sbin/init', exepath: '/sbin/init', args: [], host: 'deep' }),
  ];
  let ppid = 1;
  let ts = T0;
  const spawn = (pid: number, name: string, path: string, args: string[]): void => {
    ts += 1000n;
    lines.push(JSON.stringify({ kind: 'fork', ts: String(ts), pid, ppid, syscall: 'clone', host: 'deep' }));
    lines.push(JSON.stringify({ kind: 'exec', ts: String(ts + 1n), pid, ppid, comm: name, exe: name, exepath: path, args, host: 'deep' }));
    ppid = pid;
  };
  spawn(100, 'nginx', '/usr/sbin/nginx', []);
  for (let i = 1; i <= LEVELS; i++) spawn(100 + i, 'sh', '/bin/sh', ['-c', `level ${i}`]);
  spawn(100 + LEVELS + 1, 'curl', '/usr/bin/curl', ['http://198.51.100.7/x']);
  return `${lines.join('\n')}\n`;
}

interface StepJson {
  step: string;
  pid: number;
  path: { pid: number; name: string }[];
}

describe(`a chain whose steps are ${LEVELS + 1} levels apart`, () => {
  const tmp = tempDir('pedigree-deep-chain-');
  const db = tmp.path('deep.db');
  const rules = tmp.path('deep-chain.yaml');

  beforeAll(async () => {
    writeFileSync(tmp.path('deep.jsonl'), deepCapture());
    writeFileSync(rules, CHAIN);
    const r = await cli(['import', tmp.path('deep.jsonl'), '--db', db, '-q']);
    expect(r.code).toBe(0);
  });
  afterAll(() => tmp.cleanup());

  it('matches, with every level of the lineage in the later step’s path', async () => {
    const r = await cli(['chains', 'run', rules, '--db', db, '--no-save', '--json']);
    expect(r.code).toBe(0);
    const matches = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { rule: string; steps: StepJson[] });
    expect(matches).toHaveLength(1);
    const [server, tool] = matches[0]?.steps ?? [];
    expect(server).toMatchObject({ step: 'server', pid: 100 });
    expect(tool).toMatchObject({ step: 'tool', pid: 100 + LEVELS + 1 });
    const path = tool?.path ?? [];
    expect(path).toHaveLength(LEVELS + 2);
    expect(path[0]).toEqual(expect.objectContaining({ pid: 100, name: 'nginx' }));
    expect(path.at(-1)).toEqual(expect.objectContaining({ pid: 100 + LEVELS + 1, name: 'curl' }));
    expect(path.slice(1, -1).every((p) => p.name === 'sh')).toBe(true);
  });
});
