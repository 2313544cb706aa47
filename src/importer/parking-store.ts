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
 */
const PROCESS_KEYS = Object.keys({
  processId: 0,
  host: 0,
  pid: 0,
  vpid: 0,
  ppid: 0,
  parentProcessId: 0,
  parentPid: 0,
  startNs: 0,
  containerId: 0,
  origin: 0,
  threadCount: 0,
  guid: 0,
  guidKeyed: 0,
  current: 0,
  firstExecId: 0,
  pendingFork: 0,
  named: 0,
  seq: 0,
} satisfies Record<keyof ParkedProcess, 0>) as (keyof ParkedProcess)[];

const EXEC_KEYS = Object.keys({
  execId: 0,
  processId: 0,
  host: 0,
  kind: 0,
  parentExecId: 0,
  prevExecId: 0,
  ts: 0,
  pid: 0,
  tid: 0,
  vpid: 0,
  ppid: 0,
  name: 0,
  exe: 0,
  exepath: 0,
  args: 0,
  argv: 0,
  cmdline: 0,
  cwd: 0,
  uid: 0,
  gid: 0,
  euid: 0,
  loginuid: 0,
  user: 0,
  tty: 0,
  sid: 0,
  pgid: 0,
  vpgid: 0,
  env: 0,
  cgroups: 0,
  containerId: 0,
  exeWritable: 0,
  exeUpperLayer: 0,
  exeLowerLayer: 0,
  exeFromMemfd: 0,
  capPermitted: 0,
  capEffective: 0,
  capInheritable: 0,
  res: 0,
  attemptExe: 0,
  evtNum: 0,
  evtType: 0,
  line: 0,
  offset: 0,
} satisfies Record<keyof ExecRow, 0>) as (keyof ExecRow)[];

function encode(r: ParkedProcess): string {
  const values: unknown[] = [];
  for (const key of PROCESS_KEYS) {
    if (key === 'current') {
      const image: unknown[] = [];
      for (const k of EXEC_KEYS) image.push(k === 'ts' ? (r.current.ts?.toString() ?? null) : r.current[k]);
      values.push(image);
    } else values.push(key === 'startNs' ? (r.startNs?.toString() ?? null) : r[key]);
  }
  return JSON.stringify(values);
}

function decode(text: string): ParkedProcess {
  const values = JSON.parse(text) as unknown[];
  const r: Record<string, unknown> = {};
  for (let i = 0; i < PROCESS_KEYS.length; i++) r[PROCESS_KEYS[i] as string] = values[i];
  const image = r.current as unknown[];
  const current: Record<string, unknown> = {};
  for (let i = 0; i < EXEC_KEYS.length; i++) current[EXEC_KEYS[i] as string] = image[i];
  if (current.ts !== null) current.ts = BigInt(current.ts as string);
  r.current = current;
  if (r.startNs !== null) r.startNs = BigInt(r.startNs as string);
  return r as unknown as ParkedProcess;
}
