import { existsSync, rmSync } from 'node:fs';
import { openCaseForWrite } from '../src/db/open.js';
import { dropIndexesForBulkLoad, rebuildIndexes } from '../src/importer/bulk-indexes.js';

/**
 * Writes a synthetic case of `processes` processes straight into the schema (prepared
 * statements, one transaction), shaped like a busy Kubernetes node:
 *
 *   systemd ─ containerd ─ containerd-shim ×C ─ <container init> ─ workers ─ shells ─ commands
 *          └ sshd ─ bash sessions ─ commands
 *
 * One image per process (process_id = exec_id). Every 100th exec gets an alert.
 */
export function generateTuiCase(path: string, options: { processes: number; containers: number; seed?: number }): { processes: number; alerts: number } {
  if (existsSync(path)) rmSync(path);
  const db = openCaseForWrite(path);
  db.pragma('journal_mode = OFF');
  let seed = options.seed ?? 42;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const T0 = 1_732_800_000_000_000_000n;
  const names = ['sh', 'bash', 'curl', 'cat', 'ls', 'python3', 'node', 'grep', 'awk', 'sed', 'wget', 'ps', 'sleep', 'tar', 'nc'];
  const images = ['docker.io/library/nginx:1.27', 'ghcr.io/acme/api:2.4.1', 'docker.io/library/redis:7', 'quay.io/prometheus/node-exporter:v1.8.2'];

  const dropped = dropIndexesForBulkLoad(db);
  const insertProcess = db.prepare(`INSERT INTO processes (process_id, capture_id, host_id, pid, vpid, ppid, parent_process_id, start_ns,
    end_ns, exit_code, container_id, origin, first_exec_id, last_exec_id) VALUES (?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertExec = db.prepare(`INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, parent_exec_id, ts_ns, pid, vpid, ppid,
    name, exe, exepath, args, cmdline, cwd, uid, user_name, container_id, env, res) VALUES (?, ?, 1, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`);
  const insertAlert = db.prepare(
    `INSERT INTO alerts (exec_id, rule, priority, time_ns, output, origin, run_ns, host_id) VALUES (?, ?, ?, ?, ?, 'bench', 0, 1)`,
  );
  const insertContainer = db.prepare(
    `INSERT INTO containers (container_id, name, image, pod_name, pod_namespace, runtime) VALUES (?, ?, ?, ?, ?, 'containerd')`,
  );

  let id = 0;
  let alerts = 0;
  const pidOf = new Map<number, number>();
  const add = (parent: number | null, name: string, args: string, container: string | null, vpid: number | null): number => {
    id++;
    const pid = 100 + (id % 4_000_000);
    pidOf.set(id, pid);
    const ts = T0 + BigInt(id) * 1_000_000n;
    const ended = rand() < 0.9;
    const cmdline = args ? `${name} ${args}` : name;
    insertProcess.run(
      id,
      pid,
      vpid,
      parent === null ? 0 : (pidOf.get(parent) ?? 0),
      parent,
      ts,
      ended ? ts + 5_000_000n : null,
      ended ? (rand() < 0.95 ? 0 : 1) : null,
      container,
      parent === null ? 'snapshot' : 'fork',
      id,
      id,
    );
    insertExec.run(
      id,
      id,
      parent === null ? 'snapshot' : 'exec',
      parent,
      ts,
      pid,
      vpid,
      parent === null ? 0 : (pidOf.get(parent) ?? 0),
      name,
      name,
      `/usr/bin/${name}`,
      args,
      cmdline,
      '/',
      0,
      'root',
      container,
      rand() < 0.01 ? `PATH=/usr/bin\0HOME=/root\0JOB=${id}` : null,
    );
    if (id % 100 === 0) {
      alerts++;
      const pri = ['Critical', 'Warning', 'Notice', 'Error'][id % 4] as string;
      insertAlert.run(id, pri === 'Critical' ? 'Terminal shell in container' : 'Read sensitive file untrusted', pri, ts, `${name} ran (command=${cmdline})`);
    }
    return id;
  };

  db.transaction(() => {
    db.prepare("INSERT INTO hosts (host_id, hostname) VALUES (1, 'node-big')").run();
    const systemd = add(null, 'systemd', '--system', null, null);
    const containerd = add(systemd, 'containerd', '', null, null);
    const sshd = add(systemd, 'sshd', '-D', null, null);
    const perContainer = Math.floor((options.processes * 0.95) / options.containers);
    for (let c = 0; c < options.containers; c++) {
      const cid = (0x3f9a1c0e2b7dn + BigInt(c)).toString(16).padStart(12, '0').slice(-12);
      const name = `app-${c}`;
      insertContainer.run(cid, name, images[c % images.length], `${name}-7d9f${c}`, c % 3 === 0 ? 'default' : 'prod');
      const shim = add(containerd, 'containerd-shim', `-namespace k8s.io -id ${cid}`, null, null);
      const init = add(shim, c % 2 === 0 ? 'nginx' : 'node', 'master', cid, 1);
      const members = [init];
      for (let k = 1; k < perContainer - 1; k++) {
        // Prefer recent processes as parents: gives chains several levels deep.
        const parent = members[Math.max(0, members.length - 1 - Math.floor(rand() * rand() * 40))] as number;
        const n = names[Math.floor(rand() * names.length)] as string;
        members.push(add(parent, n, `-c job-${k} /srv/data/${k % 97}`, cid, k + 1));
      }
    }
    while (id < options.processes) {
      const session = add(sshd, 'bash', '-l', null, null);
      for (let k = 0; k < 50 && id < options.processes; k++) add(session, names[k % names.length] as string, `--host-task ${k}`, null, null);
    }
    db.prepare(`INSERT INTO captures (capture_id, path, sha256, size_bytes, format, host_id, first_event_ns, last_event_ns, event_count,
      process_count, exec_count, importer, imported_ns, status) VALUES (1, 'generated', ?, 0, 'jsonl', 1, ?, ?, ?, ?, ?, 'bench', 0, 'complete')`).run(
      `generated-${options.processes}`,
      T0,
      T0 + BigInt(id) * 1_000_000n,
      id * 2,
      id,
      id,
    );
    if (dropped) rebuildIndexes(db, dropped);
  })();
  db.close();
  return { processes: id, alerts };
}
