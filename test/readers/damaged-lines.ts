/**
 * Deterministic damaged and unusual variants of real lines, for comparing a reader's events and
 * warnings before and after a change (reader-differential.test.ts). A fixed pseudo-random
 * sequence: the same input on every run.
 */
export function seeded(seed: number): (n: number) => number {
  let s = seed | 0;
  return (n) => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

const JUNK = [
  '"',
  "'",
  ' ',
  '=',
  ':',
  ')',
  '(',
  '{',
  '}',
  ',',
  '[',
  '\x1d',
  '\u00e9',
  '\u0000',
  '\\',
  '\t',
  '\r',
  '0x',
  'ZZ',
  '(null)',
  'node=',
  'type=',
  'audit(',
];

/** A line cut short, with a character inserted, or with a few characters gone. */
export function damage(line: string, rnd: (n: number) => number): string {
  switch (rnd(3)) {
    case 0:
      return line.slice(0, rnd(line.length + 1));
    case 1: {
      const i = rnd(line.length + 1);
      return line.slice(0, i) + JUNK[rnd(JUNK.length)] + line.slice(i);
    }
    default: {
      const i = rnd(line.length);
      return line.slice(0, i) + line.slice(i + 1 + rnd(5));
    }
  }
}

const NUMERIC: Record<string, string> = { SYSCALL: '1300', EXECVE: '1309', CWD: '1307', PATH: '1302', EOE: '1320', PROCTITLE: '1327' };

/** An audit record line changed in a way the reader must read or refuse exactly as before. */
export function unusualAudit(line: string, rnd: (n: number) => number): string {
  switch (rnd(8)) {
    case 0:
      return `node=host${rnd(3)} ${line}`;
    case 1:
      return line.replace(/type=(\w+)/, (m, t: string) => (NUMERIC[t] ? `type=${NUMERIC[t]}` : m));
    case 2:
      return line.replace(
        /audit\((\d+)\.(\d+):(\d+)\)/,
        (_m, s: string, ms: string, n: string) => `audit(${s}.${[ms.slice(0, 1), `${ms}0`, `0${ms}`, ms][rnd(4)]}:${n})`,
      );
    case 3:
      return line.replace(/ comm="([^"]*)"/, (_m, c: string) => ` comm=${Buffer.from(c).toString('hex').toUpperCase()}`).replace(/ key="([^"]*)"/, ' key=4G');
    case 4:
      return `${line}\x1dUID="root" SYSCALL=${['execve', 'clone', 'exit_group', 'open'][rnd(4)]} AUID="x y"`;
    case 5:
      return line.replace(/argc=\d+/, `argc=${['-1', 'x', '1e400', '99999999999999999999', '2'][rnd(5)]}`);
    case 6:
      return `May 11 18:10:20 h audispd: ${line}`;
    default:
      return damage(line, rnd);
  }
}

type Json = Record<string, unknown>;

/** A laurel JSON line changed in a way the reader must read or refuse exactly as before. */
export function unusualLaurel(line: string, rnd: (n: number) => number): string {
  let o: Json;
  try {
    o = JSON.parse(line) as Json;
  } catch {
    return line;
  }
  const sc = o.SYSCALL as Json | undefined;
  switch (rnd(11)) {
    case 0:
      o.PATH = [null, 5, ...((o.PATH as unknown[] | undefined) ?? [])];
      break;
    case 1:
      if (sc) sc.pid = [1e21, -0, 1.5, '12', null, true][rnd(6)];
      break;
    case 2:
      o.ID = ['1.5:3', '12:3', '1.5555:3', 1, null][rnd(5)];
      break;
    case 3:
      if (sc) sc.ARGV = ['0x1f', 5, null, 'x'].slice(0, rnd(4));
      break;
    case 4:
      o.EXECVE = [{ argc: 1, ARGV: ['a', 2, null] }, 'x', null, { ARGV: 'y' }][rnd(4)];
      break;
    case 5:
      if (sc) {
        sc.PPID = [{ comm: 'x', exe: 5 }, null, [], 'p'][rnd(4)];
        sc.comm = ['\u00e9\u0001', null, { a: 1 }][rnd(3)];
      }
      break;
    case 6:
      return line.replace('"ID"', '"\\u0049D"');
    case 7:
      o.NODE = [5, null, 'n\u2028'][rnd(3)];
      o.CWD = [{ cwd: 5 }, { cwd: 'a\\b"c' }, 'x'][rnd(3)];
      break;
    case 8:
      return ['[]', 'null', '5', '"x"', '{}', '{"ID":"1.5:1"}', '{"ID":"1.5:1","SYSCALL":[]}'][rnd(7)]!;
    case 9:
      return `  ${line}  `;
    default:
      return damage(line, rnd);
  }
  return JSON.stringify(o);
}
