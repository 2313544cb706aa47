import Database from 'better-sqlite3';
import type { ParkedProcess, ParkingStore } from '../linker/parked.js';
import type { ExecRow } from '../linker/rows.js';

/**
 * The linker's parked processes in SQLite's private temporary database (an empty file name): a
 * file SQLite deletes as soon as it opens it, so nothing is left behind, even after a kill. Each
 * record is one JSON value (see encode below), found by process id, (host, pid) or
 * (host, native id). No journal and a small page cache: the data is worth nothing after the
 * import, and the memory is what the parking is for.
 */
export function openParkingStore(): ParkingStore {
  const db = new Database('');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('cache_size = -2048');
  db.exec(`CREATE TABLE parked (process_id INTEGER PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, guid TEXT, seq INTEGER NOT NULL, v TEXT NOT NULL);
           CREATE INDEX parked_pid ON parked (host, pid);
           CREATE INDEX parked_seq ON parked (host, seq);
           CREATE INDEX parked_guid ON parked (host, guid) WHERE guid IS NOT NULL;
           CREATE TABLE ended (process_id INTEGER PRIMARY KEY, v TEXT NOT NULL);`);
  const insert = db.prepare('INSERT INTO parked (process_id, host, pid, guid, seq, v) VALUES (?, ?, ?, ?, ?, ?)');
  const byPid = db.prepare('DELETE FROM parked WHERE process_id = (SELECT process_id FROM parked WHERE host = ? AND pid = ? LIMIT 1) RETURNING v').pluck();
  const byGuid = db.prepare('DELETE FROM parked WHERE process_id = (SELECT process_id FROM parked WHERE host = ? AND guid = ? LIMIT 1) RETURNING v').pluck();
  const byProcessId = db.prepare('DELETE FROM parked WHERE process_id = ? RETURNING v').pluck();
  const keepEnded = db.prepare('INSERT OR REPLACE INTO ended (process_id, v) VALUES (?, ?)');
  const ended = db.prepare('SELECT v FROM ended WHERE process_id = ?').pluck();
  const all = db.prepare('SELECT v FROM parked WHERE host = ? ORDER BY seq').pluck();
  const parkAll = db.transaction((records: ParkedProcess[]) => {
    for (const r of records) insert.run(r.processId, r.host, r.pid, r.guidKeyed ? r.guid : null, r.seq, encode(r));
  });
  const record = (v: unknown): ParkedProcess | undefined => (v === undefined ? undefined : decode(v as string));
  return {
    park: (records) => parkAll(records),
    takeByPid: (host, pid) => record(byPid.get(host, pid)),
    takeByGuid: (host, guid) => record(byGuid.get(host, guid)),
    takeByProcessId: (processId) => record(byProcessId.get(processId)),
    keepEnded: (r) => void keepEnded.run(r.processId, encode(r)),
    ended: (processId) => record(ended.get(processId)),
    *drain(host) {
      for (const v of all.iterate(host)) yield decode(v as string);
    },
    close: () => {
      if (db.open) db.close();
    },
  };
}

/**
 * JSON, not v8.serialize: each serialized value was a native buffer of its own, freed only when a
 * collection found it, and those buffers (with SQLite's copies) held ~0.5 KB of RSS per parked
 * process; a JSON string is young garbage the next scavenge takes. Values by position (an array,
 * no key names: less to write, parse and store), the two bigints as decimal strings.
 * Written out field by field: objects built key by key from a list of names took V8's slow
 * dictionary shape, and the linker and row writer then met two shapes of one record.
 */
function encode(r: ParkedProcess): string {
  return JSON.stringify([
    r.processId,
    r.host,
    r.pid,
    r.vpid,
    r.ppid,
    r.parentProcessId,
    r.parentPid,
    r.startNs?.toString() ?? null,
    r.containerId,
    r.origin,
    r.threadCount,
    r.guid,
    r.guidKeyed,
    image(r.current),
    r.firstExecId,
    r.pendingFork,
    r.named,
    r.seq,
  ]);
}

function image(e: ExecRow): unknown[] {
  return [
    e.execId,
    e.processId,
    e.host,
    e.kind,
    e.parentExecId,
    e.prevExecId,
    e.ts?.toString() ?? null,
    e.pid,
    e.tid,
    e.vpid,
    e.ppid,
    e.name,
    e.exe,
    e.exepath,
    e.args,
    e.argv,
    e.cmdline,
    e.cwd,
    e.uid,
    e.gid,
    e.euid,
    e.loginuid,
    e.user,
    e.tty,
    e.sid,
    e.pgid,
    e.vpgid,
    e.env,
    e.cgroups,
    e.containerId,
    e.exeWritable,
    e.exeUpperLayer,
    e.exeLowerLayer,
    e.exeFromMemfd,
    e.capPermitted,
    e.capEffective,
    e.capInheritable,
    e.res,
    e.attemptExe,
    e.evtNum,
    e.evtType,
    e.line,
    e.offset,
  ];
}

function decode(text: string): ParkedProcess {
  const v = JSON.parse(text) as never[];
  return {
    processId: v[0]!,
    host: v[1]!,
    pid: v[2]!,
    vpid: v[3]!,
    ppid: v[4]!,
    parentProcessId: v[5]!,
    parentPid: v[6]!,
    startNs: v[7] === null ? null : BigInt(v[7]!),
    containerId: v[8]!,
    origin: v[9]!,
    threadCount: v[10]!,
    guid: v[11]!,
    guidKeyed: v[12]!,
    current: imageFrom(v[13]!),
    firstExecId: v[14]!,
    pendingFork: v[15]!,
    named: v[16]!,
    seq: v[17]!,
  };
}

function imageFrom(v: never[]): ExecRow {
  return {
    execId: v[0]!,
    processId: v[1]!,
    host: v[2]!,
    kind: v[3]!,
    parentExecId: v[4]!,
    prevExecId: v[5]!,
    ts: v[6] === null ? null : BigInt(v[6]!),
    pid: v[7]!,
    tid: v[8]!,
    vpid: v[9]!,
    ppid: v[10]!,
    name: v[11]!,
    exe: v[12]!,
    exepath: v[13]!,
    args: v[14]!,
    argv: v[15]!,
    cmdline: v[16]!,
    cwd: v[17]!,
    uid: v[18]!,
    gid: v[19]!,
    euid: v[20]!,
    loginuid: v[21]!,
    user: v[22]!,
    tty: v[23]!,
    sid: v[24]!,
    pgid: v[25]!,
    vpgid: v[26]!,
    env: v[27]!,
    cgroups: v[28]!,
    containerId: v[29]!,
    exeWritable: v[30]!,
    exeUpperLayer: v[31]!,
    exeLowerLayer: v[32]!,
    exeFromMemfd: v[33]!,
    capPermitted: v[34]!,
    capEffective: v[35]!,
    capInheritable: v[36]!,
    res: v[37]!,
    attemptExe: v[38]!,
    evtNum: v[39]!,
    evtType: v[40]!,
    line: v[41]!,
    offset: v[42]!,
  };
}
