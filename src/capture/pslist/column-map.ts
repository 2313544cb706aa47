import { PedigreeError } from '../../util/errors.js';
import { SNAPSHOT_FIELDS, type SnapshotField } from './snapshot-row.js';

/**
 * Column names recognised without `--map` (compared case-insensitively, ignoring `_`, `.`,
 * `-` and spaces): pedigree's own names, ps/osquery names, Sysmon/EDR and ECS names.
 */
const ALIASES: Record<SnapshotField, readonly string[]> = {
  pid: ['pid', 'processid', 'process.pid', 'tgid'],
  ppid: ['ppid', 'parent', 'parentpid', 'parentprocessid', 'process.parent.pid'],
  start_time: ['start_time', 'starttime', 'start_epoch', 'lstart', 'started', 'process.start', 'createtime', 'creationtime'],
  host: ['host', 'hostname', 'computer', 'host.name', 'hostidentifier'],
  guid: ['guid', 'processguid', 'process.entity_id', 'entityid', 'exec_id'],
  parent_guid: ['parent_guid', 'parentprocessguid', 'process.parent.entity_id', 'parententityid', 'parent_exec_id'],
  exe: ['exe', 'path', 'image', 'executable', 'process.executable', 'exepath'],
  comm: ['comm', 'name', 'processname', 'process.name'],
  cmdline: ['cmdline', 'commandline', 'args', 'command', 'command_line', 'process.command_line'],
  argv: ['argv', 'process.args'],
  cwd: ['cwd', 'currentdirectory', 'process.working_directory', 'workingdirectory'],
  uid: ['uid', 'user.id', 'userid'],
  gid: ['gid', 'group.id'],
  user: ['user', 'username', 'user.name'],
  auid: ['auid', 'loginuid'],
  tty: ['tty', 'tt', 'terminal'],
  sid: ['sid', 'session'],
  pgid: ['pgid', 'pgrp'],
  container_id: ['container_id', 'containerid', 'container.id'],
  cgroup: ['cgroup', 'cgroups'],
};

const norm = (s: string): string => s.toLowerCase().replace(/[\s_.-]/g, '');

/**
 * Which column index feeds each pedigree field: `--map field=Column` first, then the aliases.
 * Mapped columns must exist; a list without a pid column is refused.
 */
export function mapColumns(header: readonly string[], map: Record<string, string> | undefined): Map<SnapshotField, number> {
  const out = new Map<SnapshotField, number>();
  const byName = new Map(header.map((h, i) => [norm(h), i]));
  for (const [field, column] of Object.entries(map ?? {})) {
    if (!(SNAPSHOT_FIELDS as readonly string[]).includes(field)) {
      throw new PedigreeError('USAGE', `--map: unknown field ${field}; fields are ${SNAPSHOT_FIELDS.join(', ')}`);
    }
    const idx = header.indexOf(column) >= 0 ? header.indexOf(column) : byName.get(norm(column));
    if (idx === undefined) throw new PedigreeError('USAGE', `--map: no column ${column} in the header (${header.join(', ')})`);
    out.set(field as SnapshotField, idx);
  }
  for (const field of SNAPSHOT_FIELDS) {
    if (out.has(field)) continue;
    for (const alias of ALIASES[field]) {
      const idx = byName.get(norm(alias));
      if (idx !== undefined && ![...out.values()].includes(idx)) {
        out.set(field, idx);
        break;
      }
    }
  }
  if (!out.has('pid')) {
    throw new PedigreeError('USAGE', `no pid column in the header (${header.join(', ')}); name it with --map pid=COLUMN`);
  }
  return out;
}
