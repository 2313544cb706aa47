import { describe, expect, it } from 'vitest';
import { exec, exit, fork, link, snap } from '../support/link-events.js';

const CID = 'aaaaaaaaaaaabbbbbbbbbbbbccccccccccccddddddddddddeeeeeeeeeeeeffff';
const CID2 = '1111111111112222222222223333333333334444444444445555555555556666';
const cg = (id: string): string[] => [`cpu=/docker/${id}`, `memory=/docker/${id}`];

describe('linker', () => {
  it('gives a reused pid a new process row and keeps the two lifetimes apart', () => {
    const r = link([snap(1, 0, 'init'), fork(100, 1), exec(100, 'ls'), exit(100), fork(100, 1), exec(100, 'cat')]);
    const first = r.proc(100, 0);
    const second = r.proc(100, 1);
    expect(first.processId).not.toBe(second.processId);
    expect(first.endNs).not.toBeNull();
    expect(second.endNs).toBeNull();
    expect(r.execsOf(100).map((e) => [e.name, e.processId])).toEqual([
      ['ls', first.processId],
      ['cat', second.processId],
    ]);
  });

  it('folds CLONE_THREAD clones into their process and ends it only when the leader exits', () => {
    const r = link([
      snap(1, 0, 'init'),
      fork(200, 1),
      exec(200, 'java'),
      fork(200, 1, { tid: 201, thread: true } as never),
      fork(200, 1, { tid: 202, thread: true } as never),
      exit(200, { tid: 201 }),
    ]);
    expect(r.processes.filter((p) => p.pid === 200)).toHaveLength(1);
    expect(r.proc(200).threadCount).toBe(3);
    expect(r.proc(200).endNs).toBeNull();
    expect(r.processes.some((p) => p.pid === 201 || p.pid === 202)).toBe(false);
  });

  it('attributes an exec from a non-leader thread to the whole process', () => {
    const r = link([
      snap(1, 0, 'init'),
      fork(300, 1),
      exec(300, 'python3'),
      fork(300, 1, { tid: 305, thread: true } as never),
      exec(300, 'sh', ['-c', 'id'], { tid: 305 }),
    ]);
    const execs = r.execsOf(300);
    expect(execs.map((e) => e.name)).toEqual(['python3', 'sh']);
    expect(execs[1]?.tid).toBe(305);
    expect(execs[1]?.prevExecId).toBe(execs[0]?.execId);
    expect(r.processes.filter((p) => p.pid === 300 || p.pid === 305)).toHaveLength(1);
  });

  it('gives a forked child an image copied from its parent until it execs', () => {
    const r = link([snap(1, 0, 'init'), fork(10, 1), exec(10, 'bash', ['-l'], { cwd: '/root', uid: 0 }), fork(11, 10)]);
    const forkRow = r.execs.find((e) => e.pid === 11 && e.kind === 'fork');
    const bash = r.execsOf(10)[0];
    expect(forkRow).toMatchObject({ name: 'bash', cmdline: 'bash -l', cwd: '/root', uid: 0, parentExecId: bash?.execId });
    expect(r.proc(11).origin).toBe('fork');
  });

  it('writes no fork image for a child that execs before doing anything else', () => {
    const r = link([snap(1, 0, 'init'), fork(12, 1), exec(12, 'ls'), fork(13, 1), fork(14, 13), exec(13, 'sh')]);
    expect(r.execs.filter((e) => e.pid === 12).map((e) => e.kind)).toEqual(['exec']);
    expect(r.execsOf(12)[0]?.prevExecId).toBeNull();
    expect(r.proc(12).firstExecId).toBe(r.execsOf(12)[0]?.execId);
    // 13 forked a child before it exec'd: its inherited image is the child's parent image
    const forkOf13 = r.execs.find((e) => e.pid === 13 && e.kind === 'fork');
    expect(forkOf13?.name).toBe('init');
    expect(r.execs.find((e) => e.pid === 14)?.parentExecId).toBe(forkOf13?.execId);
    expect(r.execsOf(13)[0]?.prevExecId).toBe(forkOf13?.execId);
  });

  it('links a snapshot table whose parents are listed after their children', () => {
    const r = link([
      snap(30, 20, 'worker', { cgroups: undefined }),
      snap(20, 10, 'nginx', { cgroups: cg(CID) }),
      snap(10, 1, 'containerd-shim'),
      snap(1, 0, 'systemd'),
    ]);
    expect(r.proc(30).parentProcessId).toBe(r.proc(20).processId);
    expect(r.proc(20).parentProcessId).toBe(r.proc(10).processId);
    expect(r.proc(1).parentProcessId).toBeNull();
    expect(r.proc(30).containerId).toBe(CID.slice(0, 12));
    expect(r.proc(10).containerId).toBeNull();
    expect(r.processes.every((p) => p.origin === 'snapshot')).toBe(true);
    const worker = r.execs.find((e) => e.pid === 30);
    expect(r.exec(worker?.parentExecId ?? null).name).toBe('nginx');
  });

  it('records a failed exec with the old image and does not make it current', () => {
    const r = link([
      snap(1, 0, 'init'),
      fork(40, 1),
      exec(40, 'tar'),
      { kind: 'exec', host: 'host-a', ts: 5n, pid: 40, ok: false, errno: 2, exe: '/usr/local/bin/gzip', args: ['-d'] },
      fork(41, 40),
    ]);
    const [tar, failed] = r.execsOf(40);
    expect(failed).toMatchObject({ res: -2, name: 'tar', attemptExe: '/usr/local/bin/gzip', prevExecId: tar?.execId });
    expect(tar?.res).toBe(0);
    const child = r.execs.find((e) => e.pid === 41);
    expect(child?.parentExecId).toBe(tar?.execId);
    expect(r.proc(40).lastExecId).toBe(tar?.execId);
  });

  it('keeps a parent that exited before its child execs', () => {
    const r = link([snap(1, 0, 'init'), fork(50, 1), exec(50, 'sh'), fork(51, 50), exit(50), exec(51, 'payload', [], { ppid: 1 })]);
    const payload = r.execsOf(51)[0];
    expect(r.exec(payload?.parentExecId ?? null).name).toBe('sh');
    expect(payload?.ppid).toBe(1);
    expect(r.proc(51).parentProcessId).toBe(r.proc(50).processId);
    expect(r.proc(50).endNs).not.toBeNull();
  });

  it('makes a CLONE_PARENT child a sibling of its caller', () => {
    const r = link([snap(1, 0, 'init'), fork(60, 1), exec(60, 'runc'), fork(61, 60), exec(61, 'runc-init'), fork(62, 61, { cloneParent: true } as never)]);
    expect(r.proc(62).parentProcessId).toBe(r.proc(60).processId);
    expect(r.proc(62).ppid).toBe(60);
  });

  it('marks processes seen only through their own events and their children as inferred', () => {
    const r = link([exec(70, 'curl', ['x'], { ppid: 69, parent: { pid: 69, comm: 'bash', exe: '/bin/bash' } })]);
    const child = r.proc(70);
    const parent = r.proc(69);
    expect(child.origin).toBe('inferred');
    expect(parent.origin).toBe('inferred');
    expect(child.parentProcessId).toBe(parent.processId);
    const parentImage = r.execs.find((e) => e.pid === 69);
    expect(parentImage).toMatchObject({ kind: 'inferred', name: 'bash' });
    expect(r.execsOf(70)[0]?.parentExecId).toBe(parentImage?.execId);
  });

  it('inherits the container from the parent unless the process names another', () => {
    const r = link([
      snap(1, 0, 'init'),
      snap(80, 1, 'shim'),
      fork(81, 80),
      exec(81, 'nginx', [], { cgroups: cg(CID) }),
      fork(82, 81),
      exec(82, 'sh'),
      fork(83, 81, { cgroups: cg(CID2) } as never),
      exec(83, 'other'),
    ]);
    expect(r.proc(80).containerId).toBeNull();
    expect(r.proc(81).containerId).toBe(CID.slice(0, 12));
    expect(r.proc(82).containerId).toBe(CID.slice(0, 12));
    expect(r.execsOf(82)[0]?.containerId).toBe(CID.slice(0, 12));
    expect(r.proc(83).containerId).toBe(CID2.slice(0, 12));
  });

  it('keeps several hosts apart even when their pids collide', () => {
    const r = link([
      snap(1, 0, 'init'),
      { ...snap(1, 0, 'init'), host: 'host-b' },
      fork(90, 1),
      exec(90, 'a'),
      { ...fork(91, 90), host: 'host-b' },
      { ...exec(91, 'b'), host: 'host-b' },
    ] as never);
    expect(r.proc(1, 0, 'host-a').processId).not.toBe(r.proc(1, 0, 'host-b').processId);
    // pid 90 does not exist on host-b, so 91's parent there is inferred, never host-a's 90.
    const parentOn91 = r.processes.find((p) => p.processId === r.proc(91, 0, 'host-b').parentProcessId);
    expect(parentOn91?.host).toBe('host-b');
    expect(parentOn91?.origin).toBe('inferred');
  });

  it('chains the images of one process with prev_exec_id (exec in place)', () => {
    const r = link([snap(1, 0, 'init'), fork(95, 1), exec(95, 'bash'), exec(95, 'sh'), exec(95, 'python3')]);
    const [a, b, c] = r.execsOf(95);
    expect(b?.prevExecId).toBe(a?.execId);
    expect(c?.prevExecId).toBe(b?.execId);
    expect(r.proc(95).lastExecId).toBe(c?.execId);
  });

  it('links by native ids (Sysmon ProcessGuid, Tetragon exec_id) before pids', () => {
    const r = link([
      exec(500, 'java', [], { guid: 'G-java', parentGuid: 'G-tomcat' }),
      exec(501, 'bash', ['-c', 'id'], { guid: 'G-bash', parentGuid: 'G-java', ppid: 500 }),
      exit(501, { guid: 'G-bash' }),
      exec(501, 'bash', ['-i'], { guid: 'G-bash2', parentGuid: 'G-java', ppid: 500 }),
    ]);
    const [first, second] = r.processes.filter((p) => p.pid === 501);
    expect(first?.processId).not.toBe(second?.processId);
    expect(first?.parentProcessId).toBe(r.proc(500).processId);
    expect(second?.parentProcessId).toBe(r.proc(500).processId);
  });
});
