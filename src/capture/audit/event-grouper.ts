import { BadRecord } from '../record-errors.js';
import type { AuditEvent, AuditFields } from './audit-event.js';
import type { AuditRecord } from './record-parser.js';

/** An event still collecting records. */
interface OpenEvent {
  key: string;
  node: string | undefined;
  tsNs: bigint;
  /** tsNs + WINDOW_NS: computed once, not a bigint subtraction per record. */
  ageOut: bigint;
  line: number;
  complete: boolean;
  syscall?: AuditFields;
  enriched?: AuditFields;
  execve: AuditFields[];
  cwd?: string;
  path0?: string;
  proctitle?: string;
}

/** Events held open at most this long after a later record's time (EOE may never come). */
const WINDOW_NS = 2_000_000_000n;
/** … and at most this many at once, so memory stays bounded on any input. */
const MAX_OPEN = 4096;

/**
 * Groups records into events by (node, timestamp, serial). Records of one event may arrive in
 * any order and interleaved with other events; EOE may come late or never. Events leave in the
 * order their first record arrived (the kernel's order), each once it is closed by its EOE or
 * has aged out of the window, so a fork is always emitted before its child's exec.
 */
export class EventGrouper {
  private readonly open = new Map<string, OpenEvent>();
  /** The open events in the order their first record came (open's order, without an iterator per record). */
  private queue: OpenEvent[] = [];
  private head = 0;
  private latestTs = 0n;
  /** The event the previous record went to, and its key: an event's records mostly come together. */
  private lastKey = '';
  private last: OpenEvent | undefined;

  /** Adds a record; returns the events that are now ready, oldest first. */
  add(rec: AuditRecord, line: number): AuditEvent[] {
    if (rec.tsNs > this.latestTs) this.latestTs = rec.tsNs;
    let ev = this.last !== undefined && rec.key === this.lastKey ? this.last : this.open.get(rec.key);
    if (rec.type === 'EOE') {
      if (ev) ev.complete = true;
    } else {
      if (!ev) {
        ev = { key: rec.key, node: rec.node, tsNs: rec.tsNs, ageOut: rec.tsNs + WINDOW_NS, line, complete: false, execve: [] };
        this.open.set(rec.key, ev);
        this.queue.push(ev);
      }
      this.addRecord(ev, rec, line);
    }
    this.lastKey = rec.key;
    this.last = ev;
    return this.drain(false);
  }

  /** At the end of the input: every open event, oldest first. */
  finish(): AuditEvent[] {
    return this.drain(true);
  }

  private addRecord(ev: OpenEvent, rec: AuditRecord, line: number): void {
    const f = rec.fields;
    switch (rec.type) {
      case 'SYSCALL':
        ev.syscall = f;
        ev.enriched = rec.enriched;
        ev.line = line;
        break;
      case 'EXECVE':
        ev.execve.push(f);
        break;
      case 'CWD':
        ev.cwd = f.get('cwd');
        break;
      case 'PATH':
        if (f.get('item') === '0') ev.path0 = f.get('name');
        break;
      case 'PROCTITLE':
        ev.proctitle = f.get('proctitle');
        break;
    }
  }

  private drain(all: boolean): AuditEvent[] {
    let out: AuditEvent[] = NONE_READY;
    const queue = this.queue;
    while (this.head < queue.length) {
      const ev = queue[this.head]!;
      const ready = all || ev.complete || this.latestTs > ev.ageOut || this.open.size > MAX_OPEN;
      if (!ready) break;
      this.head++;
      this.open.delete(ev.key);
      if (ev === this.last) this.last = undefined;
      if (!ev.syscall) continue;
      if (out === NONE_READY) out = [];
      out.push(toEvent(ev));
    }
    if (this.head > 1024 && this.head * 2 > queue.length) {
      this.queue = queue.slice(this.head);
      this.head = 0;
    }
    return out;
  }
}

/** The answer when no event is ready (most records): shared, never added to. */
const NONE_READY: AuditEvent[] = [];

function toEvent(ev: OpenEvent): AuditEvent {
  const out: AuditEvent = {
    node: ev.node,
    tsNs: ev.tsNs,
    line: ev.line,
    syscall: ev.syscall,
    enriched: ev.enriched,
    argv: undefined,
    cwd: ev.cwd,
    path0: ev.path0,
    proctitle: ev.proctitle?.split('\0').filter((s, i, all) => i < all.length - 1 || s !== ''),
  };
  try {
    if (ev.execve.length > 0) out.argv = assembleArgv(ev.execve);
  } catch (err) {
    // Reported with the event (its file and line), not thrown from the grouper past the reader.
    if (!(err instanceof BadRecord)) throw err;
    out.damaged = err.message;
  }
  return out;
}

/** N of an argument key `aN` (the common case, read without the pattern), else -1. */
function plainArgIndex(k: string): number {
  if (k.length < 2 || k.length > 16 || k.charCodeAt(0) !== 97 /* a */) return -1;
  let n = 0;
  for (let i = 1; i < k.length; i++) {
    const d = k.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * argv from EXECVE records: `argc`, then `aN=` values, or for a long argument `aN_len=` and
 * its chunks `aN[0]=`, `aN[1]=` … spread over several records.
 */
function assembleArgv(records: AuditFields[]): string[] {
  let argc: number | undefined;
  const whole = new Map<number, string>();
  const chunks = new Map<number, string[]>();
  for (const f of records) {
    for (const [k, v] of f) {
      if (k === 'argc') {
        argc = Number(v);
        continue;
      }
      const plain = plainArgIndex(k);
      if (plain >= 0) {
        whole.set(plain, v);
        continue;
      }
      const m = /^a(\d+)(?:\[(\d+)\]|(_len))?$/.exec(k);
      if (!m) continue;
      const idx = Number(m[1]);
      if (m[3]) continue;
      if (m[2] !== undefined) {
        const list = chunks.get(idx) ?? [];
        list[Number(m[2])] = v;
        chunks.set(idx, list);
      } else {
        whole.set(idx, v);
      }
    }
  }
  const count = argc ?? Math.max(-1, ...whole.keys(), ...chunks.keys()) + 1;
  if (!Number.isSafeInteger(count) || count < 0) throw new BadRecord('EXECVE: bad argc');
  const argv: string[] = [];
  for (let i = 0; i < count; i++) {
    const w = whole.get(i);
    if (w !== undefined) argv.push(w);
    else if (chunks.has(i)) argv.push(Buffer.from(chunks.get(i)!.join(''), 'latin1').toString('utf8'));
    else argv.push('');
  }
  return argv;
}
