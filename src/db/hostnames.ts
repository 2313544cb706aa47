import type { Db } from './open.js';

/** Every host's name by host_id, for output that names the machine (Falco's `hostname`). */
export function hostnamesById(db: Db): Map<bigint, string> {
  const out = new Map<bigint, string>();
  for (const h of db.prepare('SELECT host_id, hostname FROM hosts').all() as { host_id: bigint; hostname: string }[]) out.set(h.host_id, h.hostname);
  return out;
}
