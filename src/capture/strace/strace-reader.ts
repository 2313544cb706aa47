import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost } from '../record-errors.js';
import { ffPid, openSibling } from './ff-files.js';
import { parseStraceLine, type StraceLine } from './strace-line.js';
import { TraceState } from './trace-state.js';

/** The first line of strace text: optional pid or `[pid N]`, optional time, then a call. */
const DETECT =
  /^(?:\[pid\s+\d+(?:<[^>]*>)?\]\s+|\d+\s+)?(?:\d+\.\d{6}\s+|\d\d:\d\d:\d\d(?:\.\d{6})?\s+)?(?:[a-z_][a-z0-9_]*\(.*(?:\) += |<unfinished \.\.\.>)|\+\+\+ |--- SIG|<\.\.\. [a-z0-9_]+ resumed>)/m;

/** Stand-in for the traced root while stderr output has not yet named it (see resolveRoot). */
const ROOT = -1;

interface SourceLine {
  parsed: StraceLine;
  line: number;
  file: string;
  /** The pid the file name gives (`-ff`), for lines without a pid column. */
  filePid: number | undefined;
  /** `strace: Process N attached` seen on this line. */
  attached: number | undefined;
}

/** `strace -f` text: `-o` (pid column), `-ff` (one file per pid) and stderr (`[pid N]`). */
export const straceReader: CaptureReader = {
  format: 'strace',
  description: 'strace -f text output (-o, -ff or stderr; -ttt for absolute times)',
  detect(head) {
    const text = head.toString('utf8', 0, Math.min(head.length, 8192));
    const first = text.split('\n').find((l) => l.trim() !== '' && !l.startsWith('strace: '));
    return first !== undefined && DETECT.test(first);
  },
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    return readStrace(input, ctx, new TraceState(defaultHost(ctx)));
  },
};

/** The reader's pass, with the trace state given (tests bound it lower). */
export async function* readStrace(input: ReaderInput, ctx: ReaderContext, state: TraceState): AsyncIterable<LineageEvent[]> {
  const out = new EventBatcher();
  const attached = new Set<number>();
  let rootPid: number | undefined;
  let usedRoot = false;
  let deferred: LineageEvent[] | null = null;
  let warnedClock = false;
  let warnedForgetting = false;

  const emit = (events: LineageEvent[]): void => {
    if (deferred) deferred.push(...events);
    else for (const ev of events) out.push(ev);
  };
  const resolveRoot = (pid: number): void => {
    rootPid = pid;
    if (!usedRoot) return;
    state.rename(ROOT, pid);
    for (const ev of deferred ?? []) renamePid(ev, ROOT, pid);
    for (const ev of deferred ?? []) out.push(ev);
    deferred = null;
  };

  // Opened without awaiting: the importer's stream may already be flowing.
  const sources = [sourceLines(input.stream, input.path, ctx)];
  for (const sib of input.siblings) sources.push(sourceLines(openSibling(sib), sib, ctx));

  for await (const s of mergeByTime(sources)) {
    // Only the root's detection asks: once it is known, none is kept (one a process in stderr output).
    if (s.attached !== undefined && rootPid === undefined) attached.add(s.attached);
    const p = s.parsed;
    if (p.clock && !warnedClock) {
      warnedClock = true;
      ctx.warn({
        location: { file: s.file, line: s.line },
        message: 'times have no date (strace -t/-tt): stored as that time of day on 1970-01-01; use -ttt for absolute times',
      });
    }
    let tid = p.pid ?? s.filePid;
    if (p.bracketed && rootPid === undefined && tid !== undefined && !attached.has(tid) && !state.isKnownChild(tid)) {
      resolveRoot(tid);
    }
    if (tid === undefined) {
      const live = state.livePids();
      if (rootPid !== undefined && live.size === 1) tid = live.values().next().value!;
      else tid = rootPid ?? ROOT;
      if (tid === ROOT && !usedRoot) {
        usedRoot = true;
        deferred = [];
      }
    }
    try {
      emit(state.add(tid, p, s.line));
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      badRecord(ctx, s.line, err.message, s.file);
    }
    if (state.forgottenTids > 0 && !warnedForgetting) {
      warnedForgetting = true;
      ctx.warn({
        location: { file: s.file, line: s.line },
        message: `more than ${state.knownCap} traced threads run at once (no exit line seen for them): from here on the older ones are forgotten, half the bound at a time; a line of a forgotten thread that comes while a clone is unfinished is held until the clone returns, and a forgotten thread of another process counts as its own process`,
      });
    }
    const batch = out.take();
    if (batch) yield batch;
  }
  emit(state.finish());
  if (state.forgottenTids > 0) {
    ctx.warn({
      location: { file: input.path },
      message: `${state.forgottenTids} traced threads were forgotten to keep memory bounded (at most ${state.knownCap} are held; none of them had an exit line by then)`,
    });
  }
  if (deferred) {
    ctx.warn({
      location: { file: input.path },
      message: 'the traced process never shows its pid (stderr output of a single process): recorded as pid 0',
    });
    resolveRoot(0);
  }
  const last = out.take(true);
  if (last) yield last;
}

function renamePid(ev: LineageEvent, from: number, to: number): void {
  const e = ev as { pid?: number; ppid?: number; tid?: number };
  if (e.pid === from) e.pid = to;
  if (e.ppid === from) e.ppid = to;
  if (e.tid === from) e.tid = to;
}

/**
 * The parsed lines of one file. A `strace: Process N attached` message can land in the middle
 * of another process's line (stderr output); the two halves are joined again here.
 */
async function* sourceLines(stream: AsyncIterable<Buffer>, file: string, ctx: ReaderContext): AsyncIterable<SourceLine> {
  const filePid = ffPid(file);
  let carry: string | null = null;
  let carryLine = 0;
  for await (const batch of lineBatches(stream))
    for (const { text: raw, line: rawLine } of batch) {
      let text = raw;
      let line = rawLine;
      if (carry !== null) {
        text = carry + raw;
        line = carryLine;
        carry = null;
      }
      let attached: number | undefined;
      const msg = text.indexOf('strace: Process ');
      if (msg >= 0) {
        const m = /^strace: Process (\d+) attached/.exec(text.slice(msg));
        if (m) attached = Number(m[1]);
        if (msg > 0) {
          carry = text.slice(0, msg);
          carryLine = line;
          if (attached !== undefined) yield { parsed: OTHER, line, file, filePid, attached };
          continue;
        }
      }
      if (text.trim() === '' || text.startsWith('strace: ')) {
        if (attached !== undefined) yield { parsed: OTHER, line, file, filePid, attached };
        continue;
      }
      let parsed: StraceLine;
      try {
        parsed = parseStraceLine(text);
      } catch (err) {
        if (!(err instanceof BadRecord)) throw err;
        badRecord(ctx, line, err.message, file);
        continue;
      }
      yield { parsed, line, file, filePid, attached };
    }
}

const OTHER: StraceLine = { pid: undefined, bracketed: false, ts: undefined, clock: false, body: { kind: 'other' } };

/**
 * The lines of several `-ff` files in time order (each file is already in order); a single
 * file passes straight through. Lines without a time keep their file order.
 */
async function* mergeByTime(sources: AsyncIterable<SourceLine>[]): AsyncIterable<SourceLine> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iters = sources.map((s) => s[Symbol.asyncIterator]());
  const heads: (SourceLine | undefined)[] = await Promise.all(iters.map(async (it) => (await it.next()).value));
  for (;;) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (h === undefined) continue;
      if (best < 0) best = i;
      else if ((h.parsed.ts ?? 0n) < (heads[best]!.parsed.ts ?? 0n)) best = i;
    }
    if (best < 0) return;
    yield heads[best]!;
    const next = await iters[best]!.next();
    heads[best] = next.done ? undefined : next.value;
  }
}
