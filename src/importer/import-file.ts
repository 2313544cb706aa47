import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { detectReader, readerByName } from '../capture/formats.js';
import { LineTooLong } from '../capture/line-splitter.js';
import type { CaptureInfo, ImportWarning, ReaderContext, ReaderOptions } from '../capture/reader.js';
import { InputError, PedigreeError, errorMessage, isPedigreeError } from '../util/errors.js';
import { PEDIGREE_VERSION } from '../version.js';
import { GzipDamageNote, gzipDamageOffset, gzipDamageText, openContent, RunningHash, sha256File, sniffInput, statInput } from './open-input.js';
import { rebuildIndexes, dropIndexesForBulkLoad, type DroppedIndexes } from './bulk-indexes.js';
import { RowWriter, type HostRowCounts } from './row-writer.js';
import type { RowTarget } from './row-target.js';
import { runCapturePipeline, type PipelineStats } from './capture-pipeline.js';
import { hashInLine, plainFileChunks } from './plain-file-chunks.js';
import { runInWorker } from './run-in-worker.js';
import { WarningsToCase } from './warnings-to-case.js';
import { ContentHasher, type ContentIdentity } from './content-hash.js';
import { ContentHashThread } from './hash-thread.js';
import { READ_THREAD_MIN_BYTES, takeEarlyReadThread } from './early-read-thread.js';
import { ReadingHashThread } from './read-hash-thread.js';
import { candidateCaptures, relateEvidence, type EvidenceRelation } from './evidence-identity.js';
import { replaceCapture } from './replace-capture.js';
import { SqlCaseState } from './case-state-sql.js';
import { HostResolver } from './host-identity.js';
import { beginWrite } from '../db/write-lock.js';
import { rollbackJournalForFirstImport } from './first-import-journal.js';
import { threadCpuSeconds } from '../util/thread-cpu.js';

export interface ImportOptions {
  /** Reader to use instead of detecting it from the content. */
  format?: string;
  /** Skip damaged records (with a warning) instead of stopping. */
  skipBad?: boolean;
  readerOptions?: ReaderOptions;
  /** Called with bytes read so far and the file size, for progress output. */
  onProgress?: (bytesRead: number, totalBytes: number, events: number) => void;
  /** Called for each warning as it happens. */
  onWarning?: (warning: ImportWarning) => void;
  /** The other files of a multi-file capture (strace -ff): read with `path` as one capture. */
  siblings?: string[];
  /** Runs inside the import transaction after the rows are written (merging across sources). */
  afterWrite?: (db: BetterSqlite3.Database, captureId: number) => void;
  /** Read in a worker thread (default: no). */
  worker?: boolean;
  /** Hash a plain file in a helper thread while it is parsed (default: files of 256 MiB and more). */
  hashThread?: boolean;
  /** Called once when another process is writing to the case and this import waits for it. */
  onWait?: (message: string) => void;
  /**
   * The case is a scratch copy that is read once and thrown away (an import into PostgreSQL):
   * secondary indexes dropped for a bulk load are not built again.
   */
  scratch?: boolean;
  /**
   * Exec and process rows go here instead of the case's tables (row-target.ts). Only for a case
   * that holds no processes yet: merging with earlier captures needs their rows in the case.
   */
  rowTarget?: RowTarget;
}

/**
 * A plain file of at least this size is hashed in a helper thread while it is parsed. The thread
 * costs ~50 ms of CPU to start and gains only while a second core is free: at 100 MB (60 ms of
 * hashing) it lost on the shared machine (0.85 s against 0.76 s of CPU, wall likewise), at 1 GB
 * it broke even there and takes ~0.7 s off the parse's path when a core is free.
 */
const HASH_THREAD_MIN_BYTES = 256 * 1024 * 1024;

/**
 * Formats read in a worker thread by default, from this size on: the worker parses and links and
 * hands over rows in transferable buffers (packed-rows.ts) while this thread inserts them.
 */
const WORKER_FORMATS = new Set(['jsonl']);
const WORKER_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Indexes kept up to date while a worker reads, by the importing thread in time it would otherwise
 * spend waiting for rows, so the build after the load (on the import's critical path, alone) is
 * shorter or gone. An image's process and a process's parent grow with the row ids, so rows add
 * their entries near the right-hand end (300k JSON-lines execs: this thread's CPU +0.76 s while
 * reading, -0.25 s building; 1M: builds 1.58 -> 0.93 s). A pid grows within its host and a name's
 * entries end with the newest row id, so those rows go to one of a few hot pages per host or name
 * too (1M: this thread's CPU while reading 4.7 -> 5.9 s, still under the worker's 7.7 s; the
 * 0.81 s build after the load gone). In one thread that would not pay: maintaining them costs
 * more than a bulk build.
 */
const INDEXES_KEPT_WHILE_A_WORKER_READS: ReadonlySet<string> = new Set(['execs_process', 'processes_parent', 'processes_pid', 'execs_name']);

/** PEDIGREE_IMPORT_WORKER=0 or 1 overrides the choice (to measure both ways). */
function readInWorker(format: string, size: number): boolean {
  const forced = process.env.PEDIGREE_IMPORT_WORKER;
  if (forced === '0' || forced === '1') return forced === '1';
  return WORKER_FORMATS.has(format) && size >= WORKER_MIN_BYTES;
}

export interface ImportResult {
  path: string;
  captureId: number;
  format: string;
  sha256: string;
  /**
   * 'imported'; 'already imported' when the same file (sha256) is in the case; 'same content as
   * capture N' / 'prefix of capture N' when its decompressed content repeats stored evidence (a
   * captures row records it, no other rows are added); 'extends capture N' when it is a longer
   * version of stored capture N, whose rows it replaced.
   */
  outcome: string;
  /** The stored capture the outcome names. */
  sameAs?: number;
  status: string;
  events: number;
  processes: number;
  execs: number;
  /** Execs this file reported that the case already held (now recorded as one more source of them). */
  execsKnown?: number;
  warnings: number;
}

/**
 * Imports one file into the case atomically: everything it yields lands in one transaction,
 * which is rolled back on any error (and, after a kill, never reaches readers: WAL frames of an
 * uncommitted transaction are ignored; an empty case's first import, written with a rollback
 * journal, is rolled back by the next opening: first-import-journal.ts). The write lock is taken first, so importers queue, and
 * of two importing the same file at once the second finds it already imported.
 */
export async function importFile(db: BetterSqlite3.Database, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const file = statInput(path);
  const backToWal = rollbackJournalForFirstImport(db);
  try {
    const lock = beginWrite(db, db.name, `the import of ${path}`, options.onWait ?? (() => {}));
    try {
      const result = await importLocked(db, path, file, options);
      if (db.inTransaction) db.exec('COMMIT'); // what an import that added no capture rows recorded, if anything
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw asWriteError(err, db.name);
    } finally {
      lock.release();
    }
  } finally {
    backToWal();
  }
}

/** SQLite failing to write (disk full, `ulimit -f`) is the machine's state, not a bug: say so. */
function asWriteError(err: unknown, casePath: string): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (!code.startsWith('SQLITE_FULL') && !code.startsWith('SQLITE_IOERR')) return err;
  return new PedigreeError(
    'DB_WRITE',
    `could not write the case ${casePath} (${errorMessage(err)}): is the disk full, or a file size limit (ulimit -f) reached? The case is as it was before this import`,
  );
}

async function importLocked(db: BetterSqlite3.Database, path: string, file: ReturnType<typeof statInput>, options: ImportOptions): Promise<ImportResult> {
  const siblings = options.siblings ?? [];
  for (const sib of siblings) file.size += statInput(sib).size;
  // The file is hashed while it is read, unless a capture of the same size is already in the
  // case: only then can it be a re-import, and a separate pass decides before any work is done.
  const sameSize = db.prepare('SELECT 1 FROM captures WHERE size_bytes = ? LIMIT 1').get(file.size) !== undefined;
  let sha256: string | null = sameSize || siblings.length > 0 ? await captureSha256(path, siblings) : null;
  if (sha256 !== null) {
    const existing = db.prepare('SELECT capture_id, format, status FROM captures WHERE sha256 = ?').get(sha256) as
      | { capture_id: bigint; format: string; status: string }
      | undefined;
    if (existing) {
      return {
        path,
        captureId: Number(existing.capture_id),
        format: existing.format,
        sha256,
        outcome: 'already imported',
        status: existing.status,
        events: 0,
        processes: 0,
        execs: 0,
        warnings: 0,
      };
    }
  }

  const { gzip, head, headIsWhole } = await sniffInput(file);
  if (head.length === 0) throw new InputError('INPUT_FORMAT', { file: path, offset: 0 }, 'the file is empty');
  const reader = options.format ? readerByName(options.format) : detectReader(head, path);
  if (!reader) {
    throw new InputError(
      'INPUT_FORMAT',
      { file: path, offset: 0 },
      `unrecognised format (first bytes: ${describeHead(head)}); pass --format to choose a reader`,
    );
  }

  const warnings = new WarningsToCase(db);
  let truncatedAt: number | null = null;
  const info: CaptureInfo = {};
  const ctx: ReaderContext = {
    file: path,
    skipBad: options.skipBad ?? false,
    options: options.readerOptions ?? {},
    warn(w) {
      warnings.add(w);
      options.onWarning?.(w);
    },
    markTruncated(offset) {
      truncatedAt = offset;
    },
    setCaptureInfo(i) {
      Object.assign(info, i);
    },
  };

  // Stored captures that begin like this one: it may repeat, cut short or extend them.
  const candidates = siblings.length === 0 ? candidateCaptures(db, head, headIsWhole) : [];
  const probeLengths = candidates.map((c) => c.contentBytes);
  let content: ContentIdentity | null = null;

  const importNs = BigInt(Date.now()) * 1_000_000n;
  const phase = phaseTimer();
  // The write transaction is open (beginWrite); a file found to repeat stored evidence undoes
  // its rows back to here and records only that, without letting another writer in between.
  db.exec('SAVEPOINT import_rows');
  let dropped: DroppedIndexes | null = null;
  try {
    const captureId = Number(
      db
        .prepare(`INSERT INTO captures (path, sha256, size_bytes, format, importer, imported_ns, status)
                  VALUES (?, ?, ?, ?, ?, ?, 'importing')`)
        .run(path, sha256 ?? `pending ${importNs}`, file.size, reader.format, `pedigree ${PEDIGREE_VERSION}`, importNs).lastInsertRowid,
    );
    warnings.storeUnder(captureId);
    phase('begin');
    const workerWanted = siblings.length === 0 && (options.worker ?? readInWorker(reader.format, file.size));
    dropped = dropIndexesForBulkLoad(db, workerWanted ? INDEXES_KEPT_WHILE_A_WORKER_READS : undefined);
    const writer = new RowWriter(db, captureId, reader.format, importNs);
    const hosts = new HostResolver(db, options.readerOptions?.host !== undefined, (w) => ctx.warn(w), path);
    writer.hosts = hosts;
    if (options.rowTarget) writer.sendRowsTo(options.rowTarget);
    const ids = db.prepare('SELECT (SELECT max(process_id) FROM processes) AS p, (SELECT max(exec_id) FROM exec_rows) AS e').get() as {
      p: bigint | null;
      e: bigint | null;
    };
    const firstIds = { firstProcessId: Number(ids.p ?? 0n) + 1, firstExecId: Number(ids.e ?? 0n) + 1 };
    // Reading in a worker (the importing thread then only inserts): large JSON-lines files by
    // default (readInWorker), other formats when the caller asks. .scap: few rows per byte leave
    // the importing thread idle while the worker decodes, and the worker's start is extra CPU
    // (1 GB at load 10: 4.0 s CPU with, 3.2 s without; docs/benchmarks.md).
    // Earlier captures in the case: the linker resumes from them (docs/lineage.md, "Merging"),
    // which needs the database, so it runs here rather than in a worker.
    const hasEarlier = dropped === null && db.prepare('SELECT 1 FROM processes LIMIT 1').get() !== undefined;
    const known = hasEarlier
      ? new SqlCaseState(
          db,
          captureId,
          reader.format,
          candidates.filter((c) => c.strong).map((c) => c.captureId),
          () => writer.flush(),
          (w) => ctx.warn(w),
          path,
          hosts,
        )
      : null;
    if (known !== null && options.rowTarget) throw new Error('rows can go to a row target only from a case without processes');
    const useWorker = known === null && workerWanted;
    let stats: PipelineStats;
    if (useWorker) {
      // A plain file's bytes are its content: this thread reads it once, hashes each chunk and hands
      // it to the worker (this thread has time to spare while the worker parses; the worker has none).
      const hasher = gzip ? null : new ContentHasher(probeLengths);
      const done = await runInWorker(
        {
          path,
          gzip,
          format: reader.format,
          skipBad: ctx.skipBad,
          options: ctx.options,
          ...firstIds,
          hash: sha256 === null && gzip,
          content: gzip,
          probeLengths,
        },
        writer,
        ctx,
        (bytes, events) => options.onProgress?.(bytes, file.size, events),
        hasher ? { onChunk: (chunk) => hasher.update(chunk) } : undefined,
      );
      stats = done.stats;
      if (process.env.PEDIGREE_TIMING !== undefined && done.cpuSeconds !== undefined) {
        process.stderr.write(`timing: the worker thread's CPU ${done.cpuSeconds.toFixed(2)} s\n`);
        if (done.oldGenerationPeakBytes !== undefined)
          process.stderr.write(`timing: the worker's old generation peaked at ${(done.oldGenerationPeakBytes / 1e6).toFixed(1)} MB\n`);
      }
      if (hasher) {
        content = done.fedWhole ? hasher.finish() : null;
        if (sha256 === null && content?.bytes === file.size) sha256 = content.sha256;
      } else {
        if (sha256 === null && done.hashedBytes === file.size) sha256 = done.sha256 ?? null;
        content = done.content ?? null;
      }
    } else {
      // A plain file's bytes are its content: one sha256 pass serves both (the content hasher's).
      const hash = gzip ? new RunningHash() : null;
      let rawBytes = 0;
      // A binary reader's plain file is read straight into reused memory, a large one (and its
      // hash) by the helper thread, a small one here; its lines are not counted.
      const readsChunks = !gzip && siblings.length === 0 && reader.binary === true;
      const threaded = !gzip && (options.hashThread ?? file.size >= (readsChunks ? READ_THREAD_MIN_BYTES : HASH_THREAD_MIN_BYTES));
      const hasher = !threaded
        ? new ContentHasher(probeLengths, !readsChunks)
        : readsChunks
          ? readingThreadFor(path, probeLengths)
          : new ContentHashThread(probeLengths);
      const gzipDamage = new GzipDamageNote();
      const countRaw = (chunk: Buffer): void => {
        rawBytes += chunk.length;
        hash?.update(chunk);
      };
      const direct = !readsChunks
        ? null
        : hasher instanceof ReadingHashThread
          ? hasher.chunks(countRaw)
          : plainFileChunks(path, hashInLine(hasher as ContentHasher), countRaw);
      // Every stream reader copies what it keeps too (ReaderInput.stream): a plain file is read
      // into one reused buffer, not a fresh 1 MiB one per chunk (which cost as much CPU as the
      // reading itself and held up to ~15 MB of garbage until a collection found it).
      const plain = direct || gzip ? null : plainFileChunks(path, hashInLine(hasher as ContentHasher | ContentHashThread), countRaw);
      const stream =
        direct || plain
          ? null
          : openContent(path, gzip, countRaw, (chunk) => (hasher as ContentHasher | ContentHashThread).update(chunk), {
              onTrailerDamage: (message, offset) => ctx.warn({ location: { file: path, offset }, message }),
              ...(ctx.skipBad ? { onDataDamage: gzipDamage.record } : {}),
            });
      try {
        const linkerOptions = known ? { ...firstIds, known: { state: known, sink: known } } : firstIds;
        stats = await runCapturePipeline(
          reader,
          direct ? { stream: direct, path } : { stream: plain ?? (stream as Readable), path, siblings },
          ctx,
          writer,
          linkerOptions,
          (events) => {
            options.onProgress?.(rawBytes, file.size, events);
            return writer.drained() ?? undefined;
          },
        );
        gzipDamage.report(ctx, stats.events);
        if ((direct ?? plain)?.whole ?? stream?.readableEnded) content = await hasher.finish();
      } catch (err) {
        stream?.destroy();
        throw err;
      } finally {
        if (!(hasher instanceof ContentHasher)) hasher.stop();
      }
      if (sha256 === null && rawBytes === file.size) sha256 = hash ? hash.digest() : (content?.sha256 ?? null);
    }
    // A reader that stopped before the end of the file (a truncated capture) hashed only part of it.
    sha256 ??= await captureSha256(path, siblings);
    // Likewise its content, when the reader stopped early (a multi-file capture: the files' hash).
    content ??= siblings.length > 0 ? wholeAsContent(sha256) : await hashContent(path, gzip, probeLengths);
    db.prepare(`UPDATE captures SET sha256 = ?, content_sha256 = ?, content_bytes = ?, content_checkpoints = ?
                WHERE capture_id = ?`).run(sha256, content.sha256, content.bytes, content.checkpoints, captureId);
    writer.flush();
    known?.finish();
    if (stats.events === 0 && content.bytes > 0) {
      ctx.warn({ location: { file: path, offset: 0 }, message: nothingRecognised(reader.format, content, head) });
    }
    if ((stats.execsSeenAgain ?? 0) > 0) {
      ctx.warn({
        location: { file: path },
        message: `merged ${stats.execsSeenAgain} exec rows of this capture into the same execs already in the case from earlier captures of this host (each recorded in exec_sources)`,
      });
    }
    phase('read, link and insert');
    const relation: EvidenceRelation = await relateEvidence(content, candidates);
    if (relation.kind === 'same' || relation.kind === 'prefix') {
      db.exec('ROLLBACK TO import_rows');
      const ownStatus = truncatedAt === null ? 'complete' : `truncated at byte ${truncatedAt}`;
      return recordRepeat(db, { path, sha256, size: file.size, format: reader.format, content, importNs, relation, status: ownStatus });
    }
    let outcome = 'imported';
    if (relation.kind === 'extends') {
      const kept = replaceCapture(db, relation.capture.captureId, captureId);
      outcome = `extends capture ${relation.capture.captureId}`;
      if (kept > 0) {
        ctx.warn({
          location: { file: path },
          message: `replaced capture ${relation.capture.captureId}; ${kept} of its exec rows have no counterpart here and stay because other captures link to them`,
        });
      }
    }
    // The alerts of a capture this one extends move to it (replaceCapture): they are not left out.
    if (relation.kind === 'extends') writer.alertsHeld.delete(relation.capture.captureId);
    const alertsHeld = [...writer.alertsHeld.values()].reduce((a, b) => a + b, 0);
    if (alertsHeld > 0) {
      ctx.warn({
        location: { file: path },
        message: `${alertsHeld} alerts of this capture are already in the case from ${writer.alertsHeld.size === 1 ? 'capture' : 'captures'} ${[...writer.alertsHeld.keys()].sort((a, b) => a - b).join(', ')} (same host, time, rule and output): not stored again`,
      });
    }
    db.prepare('UPDATE captures SET outcome = ?, same_as_capture_id = ? WHERE capture_id = ?').run(
      outcome,
      relation.kind === 'extends' ? relation.capture.captureId : null,
      captureId,
    );
    if (info.host !== undefined) writer.hostId(info.host);
    const fallback = hosts.names.find((n) => DEFAULT_HOST_NAMES.has(n));
    if (fallback !== undefined && options.readerOptions?.host === undefined) {
      ctx.warn({
        location: { file: path },
        message: `some events name no host (no node=, Computer, node_name, hostname or machine info): they are filed under host "${fallback}"; pass --host NAME to name the machine`,
      });
    }
    // With no earlier captures, every row of this one came through the writer, which counted them.
    recordCaptureHosts(db, captureId, known === null ? writer.rowsPerHost : null);
    finishCapture(db, captureId, writer);
    options.afterWrite?.(db, captureId);
    // What the capture holds once merging folded rows away, as capture_hosts counts it per host.
    const held = db
      .prepare('SELECT coalesce(sum(process_count), 0) AS processes, coalesce(sum(exec_count), 0) AS execs FROM capture_hosts WHERE capture_id = ?')
      .get(captureId) as { processes: number | bigint; execs: number | bigint };
    const processCount = Number(held.processes);
    const execCount = Number(held.execs);

    const status = truncatedAt === null ? 'complete' : `truncated at byte ${truncatedAt}`;
    const hostName = info.host ?? writer.firstHost.name;
    db.prepare(`UPDATE captures SET host_id = ?, first_event_ns = ?,
                  last_event_ns = ?, event_count = ?, process_count = ?, exec_count = ?, warning_count = ?,
                  tool_version = ?, format_version = ?, status = ? WHERE capture_id = ?`).run(
      hostName === null ? null : writer.hostId(hostName),
      stats.firstTs,
      stats.lastTs,
      stats.events,
      processCount,
      execCount,
      warnings.count,
      info.toolVersion ?? null,
      info.formatVersion ?? null,
      status,
      captureId,
    );
    phase('finish capture');
    if (dropped && !options.scratch) rebuildIndexes(db, dropped);
    phase('build indexes');
    db.exec('COMMIT');
    phase('commit');
    return {
      path,
      captureId,
      format: reader.format,
      sha256,
      outcome,
      status,
      events: stats.events,
      processes: processCount,
      execs: execCount,
      execsKnown: stats.execsSeenAgain ?? 0,
      warnings: warnings.count,
    };
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw asInputError(err, path);
  }
}

/**
 * A file whose content is already in the case: a captures row of its own records that it was
 * presented and what it repeats, and nothing else is added.
 */
function recordRepeat(
  db: BetterSqlite3.Database,
  r: {
    path: string;
    sha256: string;
    size: number;
    format: string;
    content: ContentIdentity;
    importNs: bigint;
    status: string;
    relation: EvidenceRelation & { kind: 'same' | 'prefix' };
  },
): ImportResult {
  const stored = r.relation.capture;
  const outcome = r.relation.kind === 'same' ? `same content as capture ${stored.captureId}` : `prefix of capture ${stored.captureId}`;
  const row = db.prepare('SELECT host_id FROM captures WHERE capture_id = ?').get(stored.captureId) as { host_id: bigint | null };
  const status = r.status;
  const captureId = Number(
    db
      .prepare(`INSERT INTO captures (path, sha256, size_bytes, format, host_id, importer, imported_ns, status,
                  content_sha256, content_bytes, content_checkpoints, outcome, same_as_capture_id)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
      .run(
        r.path,
        r.sha256,
        r.size,
        r.format,
        row.host_id,
        `pedigree ${PEDIGREE_VERSION}`,
        r.importNs,
        status,
        r.content.sha256,
        r.content.bytes,
        r.content.checkpoints,
        outcome,
        stored.captureId,
      ).lastInsertRowid,
  );
  return {
    path: r.path,
    captureId,
    format: r.format,
    sha256: r.sha256,
    outcome,
    sameAs: stored.captureId,
    status,
    events: 0,
    processes: 0,
    execs: 0,
    warnings: 0,
  };
}

/** Host names the readers use when a record names no machine and no --host was given. */
const DEFAULT_HOST_NAMES = new Set(['unknown', 'unknown-host']);

/** Rows this capture added, per host: a capture can span many machines. */
function recordCaptureHosts(db: BetterSqlite3.Database, captureId: number, counted: ReadonlyMap<number, HostRowCounts> | null): void {
  if (counted !== null) {
    const add = db.prepare('INSERT INTO capture_hosts (capture_id, host_id, process_count, exec_count) VALUES (?, ?, ?, ?)');
    for (const [hostId, n] of [...counted].sort((a, b) => a[0] - b[0])) add.run(captureId, hostId, n.processes, n.execs);
    return;
  }
  db.prepare(`INSERT INTO capture_hosts (capture_id, host_id, process_count, exec_count)
              SELECT :c, host_id, sum(p), sum(e) FROM (
                SELECT host_id, 1 AS p, 0 AS e FROM processes WHERE capture_id = :c
                UNION ALL SELECT host_id, 0, 1 FROM execs WHERE capture_id = :c)
              GROUP BY host_id`).run({ c: captureId });
}

/** What an import that yielded no event saw, so that an unusable file is never silently "complete". */
function nothingRecognised(format: string, content: ContentIdentity, head: Buffer): string {
  const firstLine = head.subarray(0, Math.max(0, head.indexOf(10)) || head.length).subarray(0, 60);
  const printable = firstLine.toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  const size = content.lines && head.includes(10) ? `${content.lines.toLocaleString('en-US')} lines` : `${content.bytes.toLocaleString('en-US')} bytes`;
  return `${size}, none recognised as ${format} records: the content starts with "${printable}"${firstLine.length === 60 ? '…' : ''}`;
}

/** Content identity of a capture read in one pass that stopped early: a second pass over the content. */
async function hashContent(path: string, gzip: boolean, probeLengths: number[]): Promise<ContentIdentity> {
  const hasher = new ContentHasher(probeLengths);
  for await (const chunk of openContent(path, gzip, () => {}) as AsyncIterable<Buffer>) hasher.update(chunk);
  return hasher.finish();
}

function wholeAsContent(sha256: string): ContentIdentity {
  return { sha256, bytes: 0, checkpoints: Buffer.alloc(0), probes: new Map() };
}

/**
 * With PEDIGREE_TIMING set, prints how long each import phase took (for benchmarks). With
 * PEDIGREE_FAULT=PHASE:SIGNAL (e.g. "build indexes:SIGKILL"), the process sends itself SIGNAL
 * when PHASE ends: the reliability tests interrupt (or, with SIGSTOP, hold) imports with it.
 */
function phaseTimer(): (name: string) => void {
  const fault = process.env.PEDIGREE_FAULT?.split(':');
  const timing = process.env.PEDIGREE_TIMING !== undefined;
  if (!timing && fault === undefined) return () => {};
  let last = performance.now();
  let lastCpu = threadCpuSeconds();
  return (name) => {
    const now = performance.now();
    const cpu = threadCpuSeconds();
    if (timing) {
      const ownCpu = cpu !== null && lastCpu !== null ? ` (this thread's CPU ${(cpu - lastCpu).toFixed(2)} s)` : '';
      process.stderr.write(`timing: ${name} ${((now - last) / 1000).toFixed(2)} s${ownCpu}\n`);
    }
    last = now;
    lastCpu = cpu;
    if (fault?.[0] === name) {
      const signal = (fault[1] ?? 'SIGKILL') as NodeJS.Signals;
      process.kill(process.pid, signal);
      // A terminating signal may arrive a moment later: the import must go no further meanwhile.
      if (signal !== 'SIGSTOP') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
    }
  };
}

/** The reading and hashing thread started ahead of the import for this file (early-read-thread.ts), else a new one. */
function readingThreadFor(path: string, probeLengths: number[]): ReadingHashThread {
  const early = takeEarlyReadThread(path);
  if (early === null) return new ReadingHashThread(path, probeLengths);
  early.begin(probeLengths);
  return early;
}

/** A single file's sha256; a multi-file capture's is the hash of its files' hashes, in order. */
async function captureSha256(path: string, siblings: string[]): Promise<string> {
  const first = await sha256File(path);
  if (siblings.length === 0) return first;
  const parts = [first];
  for (const sib of siblings) parts.push(await sha256File(sib));
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}

/** Rows that only exist once the capture is whole: containers known only by cgroups, user names. */
function finishCapture(db: BetterSqlite3.Database, captureId: number, writer: RowWriter): void {
  const addContainer = db.prepare(`INSERT OR IGNORE INTO containers (container_id, metadata_source, first_capture_id)
                                   VALUES (?, 'cgroups only', ?)`);
  for (const id of writer.containerIds) addContainer.run(id, captureId);
  // A user name the capture's (host) user list gives for an exec's uid, the first listed.
  const users = db.prepare('SELECT uid, name FROM users WHERE capture_id = ? AND container_id IS NULL ORDER BY rowid').all(captureId) as {
    uid: bigint;
    name: string;
  }[];
  if (users.length === 0) return;
  db.exec('CREATE TEMP TABLE user_name_ids (uid INTEGER PRIMARY KEY, string_id INTEGER NOT NULL)');
  const addName = db.prepare('INSERT OR IGNORE INTO temp.user_name_ids (uid, string_id) VALUES (?, ?)');
  for (const u of users) addName.run(u.uid, writer.stringId(u.name));
  db.prepare(`UPDATE exec_rows SET user_name_id = (SELECT t.string_id FROM temp.user_name_ids t WHERE t.uid = exec_rows.uid)
              WHERE capture_id = ? AND user_name_id IS NULL AND uid IN (SELECT uid FROM temp.user_name_ids)`).run(captureId);
  db.exec('DROP TABLE temp.user_name_ids');
}

function asInputError(err: unknown, path: string): Error {
  if (isPedigreeError(err)) return err;
  if (err instanceof LineTooLong) return new InputError('INPUT_BAD_RECORD', { file: path, line: err.line }, err.message);
  const code = (err as { code?: string }).code;
  if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
    const offset = gzipDamageOffset(err);
    if (offset !== undefined) return new InputError('INPUT_CORRUPT', { file: path, offset }, gzipDamageText(err, offset));
    return new InputError('INPUT_CORRUPT', { file: path }, `the gzip stream is corrupt (${errorMessage(err)})`);
  }
  if (err instanceof RangeError || err instanceof TypeError) {
    return new PedigreeError('INPUT_CORRUPT', `${path}: could not be read (${errorMessage(err)}); this is a bug in its reader, please report it`);
  }
  return err instanceof Error ? err : new Error(String(err));
}

function describeHead(head: Buffer): string {
  const bytes = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = head
    .subarray(0, 40)
    .toString('latin1')
    .replace(/[^\x20-\x7e]/g, '.');
  return `${bytes} "${text}"`;
}
