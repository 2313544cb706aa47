/**
 * Deterministic generator of realistic lineage events in pedigree's JSON-lines format, for
 * benchmarks and large-input tests: several hosts, thousands of containers (shim → init →
 * workers → sh -c → tools), interactive host sessions, CI chains up to depth 30, threads, PID
 * reuse within a 32768 pid space, long argv, and exits.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from './rng.js';

export interface GenerateOptions {
  /** Stop after this many exec events. */
  execs: number;
  hosts?: number;
  seed?: number;
}

const TOOLS = [
  'curl',
  'wget',
  'cat',
  'ls',
  'grep',
  'awk',
  'sed',
  'date',
  'id',
  'ps',
  'git',
  'tar',
  'gzip',
  'find',
  'env',
  'sleep',
  'openssl',
  'python3',
  'node',
  'java',
];
const SHELLS = ['sh', 'bash', 'dash'];
const APPS = ['nginx', 'node', 'python3', 'java', 'postgres', 'redis-server', 'envoy', 'ruby'];
const CI = ['make', 'sh', 'bash', 'env', 'node', 'npm', 'xargs', 'python3', 'go', 'gcc', 'cc1', 'as', 'ld'];
const WORDS = [
  '--verbose',
  '-o',
  '/tmp/out',
  'http://10.0.0.7:8080/api/v1/items?page=2',
  '--config=/etc/app/config.yaml',
  '-c',
  '/var/lib/data',
  'production',
  '--retries=3',
  'SELECT * FROM users',
  '--',
  'build/output/bundle.min.js',
];

interface Proc {
  pid: number;
  comm: string;
  cgroups?: string[];
  children: number;
  shim?: Proc;
}

interface HostGen {
  name: string;
  nextPid: number;
  live: Set<number>;
  spawners: Proc[];
  containerd: Proc;
  sshd: Proc;
}

export async function generateJsonl(path: string, options: GenerateOptions): Promise<{ events: number; execs: number }> {
  const rng = new Rng(options.seed ?? 42);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buffered: string[] = [];
  let events = 0;
  let execs = 0;
  let ts = 1_732_800_000_000_000_000n;
  const write = async (obj: Record<string, unknown>): Promise<void> => {
    ts += BigInt(1000 + rng.int(200_000));
    buffered.push(JSON.stringify({ ...obj, ts: ts.toString() }));
    events += 1;
    if (buffered.length >= 2048) {
      if (!out.write(`${buffered.join('\n')}\n`)) await once(out, 'drain');
      buffered = [];
    }
  };

  const hosts: HostGen[] = [];
  for (let h = 0; h < (options.hosts ?? 8); h++) {
    const name = `ip-10-0-${h}-${10 + h}.eu-west-1.compute.internal`;
    const host: HostGen = {
      name,
      nextPid: 1000,
      live: new Set([1, 700, 800]),
      spawners: [],
      containerd: { pid: 700, comm: 'containerd', children: 0 },
      sshd: { pid: 800, comm: 'sshd', children: 0 },
    };
    await write({ kind: 'snapshot', host: name, pid: 1, ppid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd', args: [], uid: 0 });
    await write({ kind: 'snapshot', host: name, pid: 700, ppid: 1, comm: 'containerd', exe: '/usr/bin/containerd', args: [], uid: 0 });
    await write({ kind: 'snapshot', host: name, pid: 800, ppid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'], uid: 0 });
    hosts.push(host);
  }

  const allocPid = (host: HostGen): number => {
    for (;;) {
      host.nextPid = host.nextPid >= 32767 ? 300 : host.nextPid + 1;
      if (!host.live.has(host.nextPid)) {
        host.live.add(host.nextPid);
        return host.nextPid;
      }
    }
  };
  const argv = (n: number): string[] => Array.from({ length: n }, () => rng.pick(WORDS));

  const spawn = async (host: HostGen, parent: Proc, comm: string, args: string[], cgroups?: string[]): Promise<Proc> => {
    const pid = allocPid(host);
    parent.children += 1;
    await write({ kind: 'fork', host: host.name, pid, ppid: parent.pid, ...(cgroups ? { cgroups } : {}) });
    await write({
      kind: 'exec',
      host: host.name,
      pid,
      ppid: parent.pid,
      comm,
      exe: comm,
      exepath: `/usr/bin/${comm}`,
      args,
      cwd: '/app',
      uid: rng.int(3) === 0 ? 0 : 1000,
    });
    execs += 1;
    return { pid, comm, cgroups, children: 0 };
  };
  const finish = async (host: HostGen, p: Proc, code = 0): Promise<void> => {
    host.live.delete(p.pid);
    await write({ kind: 'exit', host: host.name, pid: p.pid, code });
  };

  while (execs < options.execs) {
    const host = rng.pick(hosts);
    const roll = rng.int(100);
    if (roll < 4 || host.spawners.length < 8) {
      // a new container: shim → init (app) → workers
      const id = Array.from({ length: 64 }, () => '0123456789abcdef'[rng.int(16)]).join('');
      const cgroups = [`cpu=/kubepods/burstable/pod${id.slice(0, 8)}/${id}`, `memory=/kubepods/burstable/pod${id.slice(0, 8)}/${id}`];
      const shim = await spawn(host, host.containerd, 'containerd-shim', ['-namespace', 'k8s.io', '-id', id]);
      const app = rng.pick(APPS);
      await write({
        kind: 'container',
        host: host.name,
        id,
        name: `${app}-${id.slice(0, 5)}`,
        image: `docker.io/library/${app}:latest`,
        imageRepository: `docker.io/library/${app}`,
        imageTag: 'latest',
        podName: `${app}-${id.slice(0, 5)}`,
        podNamespace: 'default',
      });
      const init = await spawn(host, shim, app, argv(2), cgroups);
      init.shim = shim;
      host.spawners.push(init);
      if (rng.int(3) === 0) await write({ kind: 'fork', host: host.name, pid: init.pid, tid: allocPid(host), ppid: shim.pid, thread: true });
      if (host.spawners.length > 64) {
        const gone = host.spawners.splice(rng.int(host.spawners.length), 1)[0] as Proc;
        await finish(host, gone);
        if (gone.shim) await finish(host, gone.shim);
      }
    } else if (roll < 6) {
      // a CI chain, depth up to 30
      const depth = 5 + rng.int(26);
      const chain: Proc[] = [];
      let parent = rng.pick(host.spawners);
      for (let d = 0; d < depth && execs < options.execs; d++) {
        parent = await spawn(host, parent, rng.pick(CI), argv(1 + rng.int(6)), undefined);
        chain.push(parent);
      }
      for (const p of chain.reverse()) await finish(host, p);
    } else if (roll < 10) {
      // an interactive host session
      const shell = await spawn(host, host.sshd, 'bash', ['-l']);
      for (let i = 0; i < 1 + rng.int(4) && execs < options.execs; i++) {
        const t = await spawn(host, shell, rng.pick(TOOLS), argv(rng.int(4)));
        await finish(host, t);
      }
      await finish(host, shell);
    } else {
      // a container workload: worker → sh -c → tools
      const worker = rng.pick(host.spawners);
      const sh = await spawn(host, worker, rng.pick(SHELLS), ['-c', argv(3 + rng.int(10)).join(' ')]);
      for (let i = 0; i < 1 + rng.int(3) && execs < options.execs; i++) {
        const t = await spawn(host, sh, rng.pick(TOOLS), argv(rng.int(8)));
        await finish(host, t, rng.int(10) === 0 ? 1 : 0);
      }
      await finish(host, sh);
    }
  }
  if (buffered.length > 0) out.write(`${buffered.join('\n')}\n`);
  out.end();
  await once(out, 'finish');
  return { events, execs };
}
