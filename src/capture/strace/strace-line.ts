import { BadRecord } from '../record-errors.js';
import { decimalSecondsToNs } from '../time-parse.js';

/** What one strace output line says, before it is tied to a process. */
export type LineBody =
  | { kind: 'call'; name: string; args: string; ret: string; errno: string | undefined }
  | { kind: 'unfinished'; name: string; args: string }
  | { kind: 'resumed'; name: string; rest: string }
  | { kind: 'exited'; code: number }
  | { kind: 'killed'; signal: string; core: boolean }
  | { kind: 'other' };

export interface StraceLine {
  /** Pid column (`-f -o`) or `[pid N]` prefix (stderr); undefined when the line has neither. */
  pid: number | undefined;
  /** The line had a `[pid N]` prefix (stderr style). */
  bracketed: boolean;
  /** ns; epoch for `-ttt`, time of day for `-t`/`-tt` (see `clock`), undefined without `-t`. */
  ts: bigint | undefined;
  /** The time was a wall clock without a date (`-t`, `-tt`). */
  clock: boolean;
  body: LineBody;
}

const PID_COLUMN = /^(\d+)\s+/;
const PID_PREFIX = /^\[pid\s+(\d+)(?:<[^>]*>)?\]\s+/;
const TIME = /^(?:(\d+\.\d+)|(\d\d):(\d\d):(\d\d)(?:\.(\d+))?)\s+/;
const RESULT = /\)\s*=\s*(-?\d+|\?|0x[0-9a-fA-F]+)(?:<[^>]*>)?(?:\s+([A-Z][A-Z0-9_]+)\s+\([^)]*\))?(?:\s+\(.*\))?\s*$/;

/** Parses one line of strace text output; throws BadRecord when it cannot be read. */
export function parseStraceLine(text: string): StraceLine {
  let rest = text;
  let pid: number | undefined;
  let bracketed = false;
  let m = PID_PREFIX.exec(rest);
  if (m) {
    pid = Number(m[1]);
    bracketed = true;
    rest = rest.slice(m[0].length);
  } else if ((m = PID_COLUMN.exec(rest)) && !/^\d+[.:]/.test(rest)) {
    pid = Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  let ts: bigint | undefined;
  let clock = false;
  m = TIME.exec(rest);
  if (m) {
    if (m[1] !== undefined) {
      ts = decimalSecondsToNs(m[1]);
    } else {
      clock = true;
      const secs = BigInt(+m[2]! * 3600 + +m[3]! * 60 + +m[4]!);
      ts = secs * 1_000_000_000n + BigInt((m[5] ?? '').padEnd(9, '0').slice(0, 9));
    }
    rest = rest.slice(m[0].length);
  }
  return { pid, bracketed, ts, clock, body: parseBody(rest) };
}

function parseBody(body: string): LineBody {
  if (body.startsWith('+++ ')) {
    let m = /^\+\+\+ exited with (\d+) \+\+\+/.exec(body);
    if (m) return { kind: 'exited', code: Number(m[1]) };
    m = /^\+\+\+ killed by (SIG[A-Z0-9+-]+)( \(core dumped\))? \+\+\+/.exec(body);
    if (m) return { kind: 'killed', signal: m[1]!, core: m[2] !== undefined };
    return { kind: 'other' };
  }
  if (body.startsWith('---') || body.startsWith('strace:') || body === '') return { kind: 'other' };
  if (body.startsWith('<... ')) {
    const m = /^<\.\.\. ([a-z0-9_]+) resumed>\s?(.*)$/.exec(body);
    if (!m) throw new BadRecord(`unreadable resumed call: ${body.slice(0, 60)}`);
    return { kind: 'resumed', name: m[1]!, rest: m[2]! };
  }
  const open = body.indexOf('(');
  if (open <= 0 || !/^[a-z_][a-z0-9_]*$/.test(body.slice(0, open))) {
    throw new BadRecord(`not an strace line: ${body.slice(0, 60)}`);
  }
  const name = body.slice(0, open);
  if (body.endsWith('<unfinished ...>')) {
    return { kind: 'unfinished', name, args: body.slice(open + 1, body.length - '<unfinished ...>'.length).trimEnd() };
  }
  return completeCall(name, body.slice(open + 1));
}

/** `ARGS) = RET [ERRNO (text)]`, for a whole line or a resumed call joined with its start. */
export function completeCall(name: string, argsAndResult: string): LineBody {
  const m = RESULT.exec(argsAndResult);
  if (!m) throw new BadRecord(`${name}: no result (= …) at the end of the line`);
  return { kind: 'call', name, args: argsAndResult.slice(0, m.index), ret: m[1]!, errno: m[2] };
}
