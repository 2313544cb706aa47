import type { ExecEvent, ExitEvent, LineageEvent, ParentHint } from '../../events/lineage-event.js';
import { BoundedGenerations } from '../../util/bounded-generations.js';
import { BadRecord } from '../record-errors.js';
import { isoToNs } from '../time-parse.js';
import { parseProcessGuid } from './process-guid.js';
import type { SysmonEvent } from './sysmon-xml.js';

/** A live process as the reader saw it, to recognise exec in place. */
interface Seen {
  guid: string;
  startNs: bigint;
  ppid: number | undefined;
}

/**
 * Running processes and exec-in-place GUIDs held at most, each (~200 and ~150 B an entry). Evidence
 * whose processes never log a ProcessTerminate would otherwise grow both with the capture (5M
 * execs of such evidence: ~200 MB); past the bound the older half is forgotten.
 */
const SYSMON_HELD = 30_000;

/** ProcessCreate and ProcessTerminate: the events that carry lineage. */
export const LINEAGE_EVENT_IDS: ReadonlySet<number> = new Set([1, 5]);

/** A value Sysmon writes for "none", or the value. Compared, not looked up in a set: that hashed every command line. */
function present(v: string | undefined): string | undefined {
  return v === undefined || v === '-' || v === '' || v === '(null)' || v === '<unknown process>' ? undefined : v;
}

/**
 * Sysmon EventID 1 (ProcessCreate) → exec, 5 (ProcessTerminate) → exit. Sysmon logs a new
 * ProcessGuid when a process execs in place; such a GUID (same pid, same creation second, no
 * terminate in between) is mapped back to the process's first GUID, so the images chain.
 */
export class SysmonLineage {
  private readonly byPid: BoundedGenerations<Seen>;
  private readonly alias: BoundedGenerations<string>;
  /** Running processes forgotten to keep memory bounded (an exec in place of one is not recognised). */
  forgottenProcesses = 0;
  /** Exec-in-place GUIDs forgotten (a later event naming one names the new GUID, not the first). */
  forgottenAliases = 0;

  constructor(
    private readonly defaultHost: string,
    readonly held = SYSMON_HELD,
  ) {
    this.byPid = new BoundedGenerations<Seen>(held, (_, n) => (this.forgottenProcesses += n));
    this.alias = new BoundedGenerations<string>(held, (_, n) => (this.forgottenAliases += n));
  }

  convert(ev: SysmonEvent, line: number): LineageEvent[] {
    if (!LINEAGE_EVENT_IDS.has(ev.eventId)) return [];
    const d = ev.data;
    const host = ev.computer ?? this.defaultHost;
    const pid = Number(d.ProcessId);
    if (!Number.isSafeInteger(pid)) throw new BadRecord(`EventID ${ev.eventId} without a numeric ProcessId`);
    const ts = (d.UtcTime ? isoToNs(d.UtcTime) : undefined) ?? (ev.systemTime ? isoToNs(ev.systemTime) : undefined);
    if (ts === undefined) throw new BadRecord(`EventID ${ev.eventId}: unreadable UtcTime ${JSON.stringify(d.UtcTime)}`);
    const guid = parseProcessGuid(d.ProcessGuid);
    const key = `${host}|${pid}`;

    if (ev.eventId === 5) {
      const seen = this.byPid.take(key);
      const exit: ExitEvent = { host, ts, pos: { line }, kind: 'exit', pid };
      const g = guid?.unique ? this.resolve(guid.text) : seen?.guid;
      if (g) exit.guid = g;
      return [exit];
    }

    const ppid = d.ParentProcessId !== undefined ? Number(d.ParentProcessId) : undefined;
    const exec: ExecEvent = { host, ts, pos: { line }, kind: 'exec', pid, ok: true };
    if (ppid !== undefined && Number.isSafeInteger(ppid)) exec.ppid = ppid;
    const image = present(d.Image);
    if (image) exec.exepath = image;
    const cmdline = present(d.CommandLine);
    if (cmdline !== undefined) exec.cmdline = cmdline;
    const cwd = present(d.CurrentDirectory);
    if (cwd) exec.cwd = cwd;
    const user = present(d.User);
    if (user) exec.user = user;
    const uid = Number(d.LogonId);
    if (d.LogonId !== undefined && Number.isSafeInteger(uid)) exec.uid = uid;
    if (guid) exec.startTs = guid.startNs;

    const seen = this.byPid.get(key);
    let own = guid?.unique ? guid.text : undefined;
    if (own && seen && seen.guid !== own && guid && seen.startNs === guid.startNs && seen.ppid === exec.ppid) {
      this.alias.set(own, seen.guid);
      own = seen.guid;
    }
    if (own) {
      exec.guid = own;
      this.byPid.set(key, { guid: own, startNs: guid!.startNs, ppid: exec.ppid });
    } else {
      this.byPid.take(key);
    }

    const pguid = parseProcessGuid(d.ParentProcessGuid);
    if (own && seen && own === seen.guid) {
      // Exec in place: the parent is the process's own previous image.
      delete exec.ppid;
      return [exec];
    }
    if (exec.ppid !== undefined && exec.ppid > 0) {
      const parent: ParentHint = { pid: exec.ppid };
      if (pguid?.unique) {
        parent.guid = this.resolve(pguid.text);
        exec.parentGuid = parent.guid;
        parent.startTs = pguid.startNs;
      }
      const pimage = present(d.ParentImage);
      if (pimage) parent.exepath = pimage;
      const pcmd = present(d.ParentCommandLine);
      if (pcmd !== undefined) parent.cmdline = pcmd;
      const puser = present(d.ParentUser);
      if (puser) parent.user = puser;
      exec.parent = parent;
    }
    return [exec];
  }

  private resolve(guid: string): string {
    return this.alias.get(guid) ?? guid;
  }
}
