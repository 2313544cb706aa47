import Database from 'better-sqlite3';
import type { ParkedProcess, ParkingStore } from '../linker/parked.js';
import type { ExecRow } from '../linker/rows.js';

/**
 * The linker's parked processes in SQLite's private temporary database (an empty file name): a
 * file SQLite deletes as soon as it opens it, so nothing is left behind, even after a kill. Each
 * record is one v8-serialized value (bigints and all), found by process id, (host, pid) or
 * (host, native id). No journal and a small page cache: the data is worth nothing after the
 * import, and the memory is what the parking is for.
 */
export function openParkingStore(): ParkingStore {
  const db = new Database('');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('locking_mode = EXCLUSIVE');
  db.pragma('cache_size = -8192');
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
 * process; a JSON string is young garbage the next scavenge takes. The two bigints go as strings.
 */
function encode(r: ParkedProcess): string {
  return JSON.stringify({ ...r, startNs: r.startNs?.toString() ?? null, current: { ...r.current, ts: r.current.ts?.toString() ?? null } });
}

function decode(text: string): ParkedProcess {
  const r = JSON.parse(text) as Omit<ParkedProcess, 'startNs' | 'current'> & { startNs: string | null; current: Omit<ExecRow, 'ts'> & { ts: string | null } };
  return { ...r, startNs: r.startNs === null ? null : BigInt(r.startNs), current: { ...r.current, ts: r.current.ts === null ? null : BigInt(r.current.ts) } };
}
