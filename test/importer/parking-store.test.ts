import { describe, expect, it } from 'vitest';
import { openParkingStore } from '../../src/importer/parking-store.js';
import type { ParkedProcess } from '../../src/linker/parked.js';
import type { ExecRow } from '../../src/linker/rows.js';

/** A record whose every field holds a value no other field holds, so a field written to another's place shows. */
function distinctRecord(seed: number, flags: [boolean | null, boolean | null, boolean | null, boolean | null]): ParkedProcess {
  const n = (k: number): number => seed * 1000 + k;
  const s = (k: number): string => `v${seed}-${k}-\u00e9\u{1f600}\0"`;
  const current: ExecRow = {
    execId: n(1),
    processId: n(2),
    host: s(3),
    kind: 'exec',
    parentExecId: n(4),
    prevExecId: n(5),
    ts: 1_700_000_000_123_456_789n + BigInt(seed),
    pid: n(6),
    tid: n(7),
    vpid: n(8),
    ppid: n(9),
    name: s(10),
    exe: s(11),
    exepath: s(12),
    args: s(13),
    argv: [s(14), s(15)],
    cmdline: s(16),
    cwd: s(17),
    uid: n(18),
    gid: n(19),
    euid: n(20),
    loginuid: n(21),
    user: s(22),
    tty: n(23),
    sid: n(24),
    pgid: n(25),
    vpgid: n(26),
    env: [s(27), s(28), s(29)],
    cgroups: [s(30)],
    containerId: s(31),
    exeWritable: flags[0],
    exeUpperLayer: flags[1],
    exeLowerLayer: flags[2],
    exeFromMemfd: flags[3],
    capPermitted: s(32),
    capEffective: s(33),
    capInheritable: s(34),
    res: -n(35),
    attemptExe: s(36),
    evtNum: n(37),
    evtType: s(38),
    line: n(39),
    offset: n(40),
  };
  return {
    processId: n(41),
    host: s(42),
    pid: n(43),
    vpid: n(44),
    ppid: n(45),
    parentProcessId: n(46),
    parentPid: n(47),
    startNs: 1_600_000_000_987_654_321n + BigInt(seed),
    containerId: s(48),
    origin: 'snapshot',
    threadCount: n(49),
    guid: s(50),
    guidKeyed: flags[0] === true,
    current,
    firstExecId: n(51),
    pendingFork: flags[1] === true,
    named: flags[2] === true,
    seq: n(52),
  };
}

describe('parking store: a parked process comes back exactly as it went in', () => {
  const records = [distinctRecord(1, [true, false, null, true]), distinctRecord(2, [false, null, true, false]), distinctRecord(3, [null, true, false, null])];

  it('by pid, by native id, by process id, and drained at the end', () => {
    const store = openParkingStore();
    try {
      store.park(records);
      const [a, b, c] = records as [ParkedProcess, ParkedProcess, ParkedProcess];
      expect(store.takeByPid(a.host, a.pid)).toStrictEqual(a);
      expect(store.takeByPid(a.host, a.pid)).toBeUndefined();
      expect(store.takeByProcessId(b.processId)).toStrictEqual(b);
      store.park([b]);
      expect([...store.drain(b.host)]).toStrictEqual([b]);
      expect(store.takeByGuid(c.host, c.guid as string)).toBeUndefined(); // parked without its guid as a key
      expect(store.takeByProcessId(c.processId)).toStrictEqual(c);
    } finally {
      store.close();
    }
  });

  it('an ended copy kept for its children, and a fork image without an exec yet', () => {
    const store = openParkingStore();
    try {
      const ended = records[1] as ParkedProcess;
      store.keepEnded(ended);
      expect(store.ended(ended.processId)).toStrictEqual(ended);
      const fork: ParkedProcess = {
        ...(records[2] as ParkedProcess),
        guidKeyed: true,
        pendingFork: true,
        startNs: null,
        current: { ...(records[2] as ParkedProcess).current, ts: null },
      };
      store.park([fork]);
      expect(store.takeByGuid(fork.host, fork.guid as string)).toStrictEqual(fork);
    } finally {
      store.close();
    }
  });
});
