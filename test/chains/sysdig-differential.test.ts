import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HAVE_SYSDIG } from '../scap/scap-harness.js';
import { chainMatches } from './run-chains.js';

/**
 * The chain matches pedigree finds in samples/story.scap, checked against what sysdig reads from
 * the same capture: every step is a successful execve sysdig reports (same pid, program, time),
 * and every edge of every lineage path between two processes is a fork sysdig reports (the
 * child's clone event names the parent as its ppid).
 */

const STORY = fileURLToPath(new URL('../../samples/story.scap', import.meta.url));

interface SysdigEvent {
  num: number;
  timeNs: bigint;
  type: string;
  pid: number;
  ppid: number;
  name: string;
  res: number;
}

function sysdigProcessEvents(file: string): SysdigEvent[] {
  const r = spawnSync(
    'sysdig',
    [
      '-r',
      file,
      '-p',
      '*%evt.num %evt.rawtime %evt.type %proc.pid %proc.ppid %proc.name %evt.rawres',
      'evt.dir=< and evt.type in (execve, execveat, clone, clone3, fork, vfork)',
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`sysdig failed: ${r.stderr}`);
  return r.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [num, time, type, pid, ppid, name, res] = line.split(' ');
      return { num: Number(num), timeNs: BigInt(time!), type: type!, pid: Number(pid), ppid: Number(ppid), name: name!, res: Number(res) };
    });
}

describe.skipIf(!HAVE_SYSDIG)('chain matches on samples/story.scap agree with sysdig 0.29.3', () => {
  it('every step is an execve sysdig reports, and every path edge is a fork sysdig reports', async () => {
    const events = sysdigProcessEvents(STORY);
    const matches = await chainMatches([STORY]);
    expect(matches).toHaveLength(2);
    let edges = 0;
    for (const m of matches) {
      for (const step of m.steps) {
        const execve = events.find((e) => e.type === 'execve' && e.res === 0 && e.timeNs === step.tsNs);
        expect(execve, `${m.chain}/${step.name}`).toMatchObject({ pid: Number(step.pid), name: step.procName });
        for (let i = 1; i < step.path.length; i++) {
          const parent = step.path[i - 1]!;
          const child = step.path[i]!;
          if (parent.pid === child.pid) continue;
          // The child's side of its fork: the clone/vfork event returning 0 in the child.
          const fork = events.filter((e) => e.type !== 'execve' && e.res === 0 && e.pid === Number(child.pid) && e.timeNs <= step.tsNs).at(-1);
          expect(fork?.ppid, `${m.chain}/${step.name}: ${parent.name},${parent.pid} → ${child.name},${child.pid}`).toBe(Number(parent.pid));
          edges++;
        }
      }
    }
    expect(edges).toBe(5);
  });
});
