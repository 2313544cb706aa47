import type BetterSqlite3 from 'better-sqlite3';
import type { ImportWarning } from '../capture/reader.js';

/** Two boot times this close are the same boot (sources round it differently). */
const SAME_BOOT_NS = 1_000_000_000n;

/**
 * Which hosts row a capture's hostname means (docs/lineage.md, "Hosts"). A host is a machine
 * in one boot: a hostname with a boot time joins the host of that name and boot, or one of that
 * name whose boot is unknown; with a different boot it is another host. A hostname without a boot
 * time joins the latest host of that name. With `--host`, the name alone decides.
 */
export class HostResolver {
  private readonly ids = new Map<string, number>();
  private readonly boots = new Map<string, bigint>();
  private readonly byName: BetterSqlite3.Statement;
  private readonly insert: BetterSqlite3.Statement;
  private readonly setBoot: BetterSqlite3.Statement;
  /** Host names this capture used, in order. */
  readonly names: string[] = [];

  constructor(
    db: BetterSqlite3.Database,
    private readonly forced: boolean,
    private readonly warn: (w: ImportWarning) => void,
    private readonly file: string,
  ) {
    this.byName = db.prepare('SELECT host_id, boot_ns FROM hosts WHERE hostname = ? ORDER BY host_id DESC');
    this.insert = db.prepare('INSERT INTO hosts (hostname, boot_ns) VALUES (?, ?)');
    this.setBoot = db.prepare('UPDATE hosts SET boot_ns = ? WHERE host_id = ? AND boot_ns IS NULL');
  }

  /** The machine's boot time, as the capture reports it before its events (scap machine info). */
  noteBoot(name: string, bootNs: bigint): void {
    if (!this.ids.has(name)) this.boots.set(name, bootNs);
  }

  /** The host id for this name, created if the case has no such host yet. */
  resolve(name: string): number {
    const known = this.ids.get(name);
    if (known !== undefined) return known;
    const id = this.find(name) ?? Number(this.insert.run(name, this.boots.get(name) ?? null).lastInsertRowid);
    this.ids.set(name, id);
    this.names.push(name);
    return id;
  }

  /** The host id this name would resolve to, without creating one (null: a host new to the case). */
  existing(name: string): number | null {
    return this.ids.get(name) ?? this.find(name, false);
  }

  private find(name: string, adopt = true): number | null {
    const rows = this.byName.all(name) as { host_id: bigint; boot_ns: bigint | null }[];
    if (rows.length === 0) return null;
    const boot = this.boots.get(name);
    if (this.forced || boot === undefined) {
      if (rows.length > 1 && adopt) {
        this.warn({
          location: { file: this.file },
          message: `host name "${name}" names ${rows.length} machines or boots in this case (host ids ${rows.map((r) => r.host_id).join(', ')}); this file gives no boot time, so its events join the latest, host id ${rows[0]!.host_id} (pedigree hosts merge joins host ids)`,
        });
      }
      return Number(rows[0]!.host_id);
    }
    const same = rows.find((r) => r.boot_ns !== null && abs(r.boot_ns - boot) <= SAME_BOOT_NS);
    if (same) return Number(same.host_id);
    const unknownBoot = rows.find((r) => r.boot_ns === null);
    if (unknownBoot) {
      if (adopt) this.setBoot.run(boot, unknownBoot.host_id);
      return Number(unknownBoot.host_id);
    }
    if (adopt) {
      this.warn({
        location: { file: this.file },
        message: `host name "${name}" is already in the case with another boot time (host id ${rows[0]!.host_id}); this capture's machine is kept apart as a new host (pass --host to join them, or pedigree hosts merge)`,
      });
    }
    return null;
  }
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}
