/**
 * Deterministic generator of large, realistic .scap captures for the import benchmark: an
 * initial table of host and container processes, then mostly ordinary syscalls (read/write
 * pairs with payloads) with a few percent lineage events (fork + execve + procexit of shells and
 * tools, threads, container metadata), written with the test scap writer.
 *
 *   node --import tsx bench/scap-generate.ts OUT.scap SIZE_MB
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { CL, CaptureBuilder, dockerCgroups } from '../test/support/scap-writer/capture-builder.js';
import type { ScapThread } from '../test/support/scap-writer/block-writer.js';

function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const TOOLS = ['curl', 'wget', 'cat', 'ls', 'grep', 'awk', 'sed', 'date', 'id', 'ps', 'tar', 'gzip', 'find', 'env', 'sleep'];

export interface GeneratedScap {
  bytes: number;
  events: number;
  lineageEvents: number;
}

export function generateScap(path: string, targetBytes: number, seed = 7): GeneratedScap {
  const rand = rng(seed);
  const fd = openSync(path, 'w');
  const threads: ScapThread[] = [
    { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
    { tid: 700, pid: 700, ptid: 1, comm: 'containerd', exe: '/usr/bin/containerd' },
    { tid: 800, pid: 800, ptid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'] },
    { tid: 801, pid: 801, ptid: 800, comm: 'bash', exe: '-bash', cwd: '/root' },
  ];
  const spawners: number[] = [801];
  const containers: string[] = [];
  for (let c = 0; c < 20; c++) {
    const id = `${(c + 1).toString(16).padStart(4, '0')}${'ab12cd34'.repeat(7)}${c.toString(16).padStart(4, '0')}`.slice(0, 64);
    containers.push(id);
    const shim = 1000 + c * 10;
    threads.push({ tid: shim, pid: shim, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2' });
    threads.push({ tid: shim + 1, pid: shim + 1, ptid: shim, comm: 'nginx', exe: 'nginx', vtid: 1, vpid: 1, cgroups: dockerCgroups(id) });
    threads.push({ tid: shim + 2, pid: shim + 1, ptid: shim, comm: 'nginx', exe: 'nginx', vtid: 2, vpid: 1, cgroups: dockerCgroups(id) });
    spawners.push(shim + 1);
  }
  let written = 0;
  let events = 0;
  let lineage = 0;
  const b = new CaptureBuilder(
    (chunk) => {
      writeSync(fd, chunk);
      written += chunk.length;
    },
    { hostname: 'bench-host', threads, users: [{ uid: 0, name: 'root' }] },
  );
  b.header();
  containers.forEach((id, i) => b.container({ id, name: `app-${i}`, image: `registry.example/app-${i}:1.${i}` }));
  events += containers.length;
  lineage += containers.length;

  let nextPid = 5000;
  const live = new Set<number>();
  while (written + b.w.offset - written < targetBytes && b.w.offset < targetBytes) {
    const parent = spawners[rand(spawners.length)] as number;
    do {
      nextPid = nextPid >= 32000 ? 5000 : nextPid + 1;
    } while (live.has(nextPid));
    const child = nextPid;
    const inContainer = parent !== 801;
    const tool = TOOLS[rand(TOOLS.length)] as string;
    b.fork(parent, child, inContainer ? { vtid: 2 + rand(500), flags: CL.CHILD_IN_PIDNS } : {});
    b.exec(child, { filename: `/usr/bin/${tool}`, args: ['-x', `/var/lib/data/${rand(1e6)}`, '--verbose'] });
    lineage += 5;
    events += 6;
    if (rand(10) === 0) {
      b.fork(child, child + 100000, { flags: CL.THREAD | CL.VM | CL.FILES | CL.FS | CL.SIGHAND });
      b.exit(child + 100000);
      lineage += 3;
      events += 4;
    }
    // ~3 % lineage: around 90 ordinary syscall pairs per process, spread over the spawners too
    const pairs = 60 + rand(60);
    for (let i = 0; i < pairs; i++) {
      b.filler(rand(4) === 0 ? parent : child, 1, rand(4) === 0 ? 256 : 24);
    }
    events += pairs * 2;
    b.exit(child);
    lineage += 1;
    events += 1;
  }
  b.end();
  closeSync(fd);
  return { bytes: written, events, lineageEvents: lineage };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [out, mb] = process.argv.slice(2);
  if (!out || !mb) throw new Error('usage: scap-generate.ts OUT.scap SIZE_MB');
  const g = generateScap(out, Number(mb) * 1e6);
  process.stdout.write(`${JSON.stringify(g)}\n`);
}
