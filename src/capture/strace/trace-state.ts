import type { ExecEvent, ExitEvent, ForkEvent, LineageEvent } from '../../events/lineage-event.js';
import { BoundedGenerations } from '../../util/bounded-generations.js';
import { BadRecord } from '../record-errors.js';
import { errnoNumber, signalNumber } from './kernel-names.js';
import { cloneArgs, execArgs } from './process-syscalls.js';
import { completeCall, type LineBody, type StraceLine } from './strace-line.js';

const CLONES = new Set(['clone', 'clone3', 'fork', 'vfork']);

/**
 * Thread ids held as seen at most; past it the older half is forgotten (~40 B each). A traced
 * tree runs a few thousand at once: only a trace whose processes never exit reaches it.
 */
const KNOWN_TIDS = 100_000;

/** A line already tied to its thread id. */
interface TiedLine {
  tid: number;
  ts: bigint;
  line: number;
  body: LineBody;
}

/**
 * Turns strace lines into lineage events, keeping the state strace's output leaves implicit:
 * which thread belongs to which process, calls split into `<unfinished ...>` and `<... resumed>`,
 * and children whose own lines appear before the parent's clone/vfork returns their pid (those
 * lines are held until the fork is known, so the fork always comes first).
 */
export class TraceState {
  private readonly tgidOf = new Map<number, number>();
  /** Thread ids seen and not exited (the value is unused). */
  private readonly known: BoundedGenerations<true, number>;
  private readonly pending = new Map<number, { name: string; args: string; ts: bigint }>();
  private readonly heldLines = new Map<number, TiedLine[]>();
  private readonly live = new Set<number>();
  private readonly out: LineageEvent[] = [];

  /** Thread ids forgotten because too many were held at once (none exits in the trace). */
  forgottenTids = 0;

  constructor(
    private readonly host: string,
    readonly knownCap = KNOWN_TIDS,
  ) {
    this.known = new BoundedGenerations<true, number>(knownCap, (tids, count) => {
      this.forgottenTids += count;
      for (const tid of tids) {
        this.live.delete(tid);
        this.tgidOf.delete(tid);
      }
    });
  }

  /** Thread ids held now. */
  get heldTids(): number {
    return this.known.size;
  }

  /** Pids that were seen alive and have not exited, for attributing unprefixed stderr lines. */
  livePids(): ReadonlySet<number> {
    return this.live;
  }

  /** Whether a clone/fork returned this id (so it is a child, not the traced root). */
  isKnownChild(tid: number): boolean {
    return this.known.get(tid) !== undefined || this.heldLines.has(tid);
  }

  /** Renames a stand-in pid once the output reveals the real one. */
  rename(from: number, to: number): void {
    const swap = <V>(m: Map<number, V>): void => {
      const v = m.get(from);
      if (v !== undefined) {
        m.delete(from);
        m.set(to, v);
      }
    };
    swap(this.pending);
    swap(this.heldLines);
    if (this.known.take(from) !== undefined) this.known.set(to, true);
    if (this.live.delete(from)) this.live.add(to);
    for (const [tid, tgid] of this.tgidOf) if (tgid === from) this.tgidOf.set(tid, to);
  }

  /** Adds one line of thread `tid`; returns the events it completes. */
  add(tid: number, parsed: StraceLine, line: number): LineageEvent[] {
    const tied: TiedLine = { tid, ts: parsed.ts ?? 0n, line, body: parsed.body };
    if (this.known.get(tid) === undefined) {
      if (this.hasPendingClone()) {
        const list = this.heldLines.get(tid) ?? [];
        list.push(tied);
        this.heldLines.set(tid, list);
        return this.drainOut();
      }
      this.known.set(tid, true);
      this.live.add(tid);
    }
    this.handle(tied);
    if (this.heldLines.size > 0 && !this.hasPendingClone()) this.releaseHeld();
    return this.drainOut();
  }

  /** At the end of the input: lines still held belong to processes whose fork was never seen. */
  finish(): LineageEvent[] {
    this.releaseHeld();
    return this.drainOut();
  }

  private drainOut(): LineageEvent[] {
    return this.out.splice(0, this.out.length);
  }

  private hasPendingClone(): boolean {
    for (const call of this.pending.values()) if (CLONES.has(call.name)) return true;
    return false;
  }

  private releaseHeld(): void {
    for (const [tid, lines] of this.heldLines) {
      this.heldLines.delete(tid);
      this.known.set(tid, true);
      this.live.add(tid);
      for (const l of lines) this.handle(l);
    }
  }

  private tgid(tid: number): number {
    return this.tgidOf.get(tid) ?? tid;
  }

  private handle(l: TiedLine): void {
    const body = l.body;
    switch (body.kind) {
      case 'unfinished':
        this.pending.set(l.tid, { name: body.name, args: body.args, ts: l.ts });
        return;
      case 'resumed': {
        const start = this.pending.get(l.tid);
        this.pending.delete(l.tid);
        if (!start || start.name !== body.name) {
          throw new BadRecord(`<... ${body.name} resumed> without its unfinished start in pid ${l.tid}`);
        }
        const joined = completeCall(body.name, `${start.args} ${body.rest}`.replace(/^\s+/, ''));
        this.call(l, joined, start.ts);
        return;
      }
      case 'call':
        this.call(l, body, l.ts);
        return;
      case 'exited':
      case 'killed':
        this.exit(l, body);
        return;
      case 'other':
        return;
    }
  }

  private call(l: TiedLine, body: LineBody, startTs: bigint): void {
    if (body.kind !== 'call') return;
    const pid = this.tgid(l.tid);
    if (body.name === 'execve' || body.name === 'execveat') {
      const a = execArgs(body.name, body.args);
      const ok = body.ret === '0';
      const ev: ExecEvent = { host: this.host, ts: l.ts, pos: { line: l.line }, kind: 'exec', pid, ok, syscall: a.syscall };
      if (l.tid !== pid) ev.tid = l.tid;
      if (a.path !== undefined) ev.exepath = a.path;
      if (a.argv && a.argv.length > 0) {
        ev.exe = a.argv[0]!;
        ev.args = a.argv.slice(1);
      }
      if (!ok) ev.errno = body.errno ? errnoNumber(body.errno) : undefined;
      // A successful exec from a non-leader thread makes it the leader (de_thread).
      if (ok && l.tid !== pid) this.tgidOf.delete(l.tid);
      this.out.push(ev);
      return;
    }
    if (CLONES.has(body.name)) {
      const child = Number(body.ret);
      if (!Number.isSafeInteger(child) || child <= 0) return;
      const c = cloneArgs(body.args);
      const fork: ForkEvent = {
        host: this.host,
        pos: { line: l.line },
        ts: startTs,
        kind: 'fork',
        pid: c.thread ? pid : child,
        ppid: pid,
        syscall: body.name as ForkEvent['syscall'],
      };
      if (c.flags !== undefined) fork.flags = c.flags;
      if (c.thread) {
        fork.tid = child;
        fork.thread = true;
        this.tgidOf.set(child, pid);
      }
      if (c.parent) fork.cloneParent = true;
      this.known.set(child, true);
      this.live.add(child);
      this.out.push(fork);
      const held = this.heldLines.get(child);
      if (held) {
        this.heldLines.delete(child);
        for (const h of held) this.handle(h);
      }
    }
  }

  private exit(l: TiedLine, body: Extract<LineBody, { kind: 'exited' | 'killed' }>): void {
    const pid = this.tgid(l.tid);
    const ev: ExitEvent = { host: this.host, ts: l.ts, pos: { line: l.line }, kind: 'exit', pid };
    if (l.tid !== pid) {
      ev.tid = l.tid;
    } else {
      ev.group = true;
    }
    // Nothing follows a thread's exit line but a new thread that reuses its id (after a clone).
    this.live.delete(l.tid);
    this.known.take(l.tid);
    if (body.kind === 'exited') ev.code = body.code;
    else {
      ev.signal = signalNumber(body.signal);
      if (body.core) ev.core = true;
    }
    this.tgidOf.delete(l.tid);
    this.out.push(ev);
  }
}
