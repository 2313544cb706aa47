import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openCaseForWrite, type Db } from '../../src/db/open.js';
import { importFile, type ImportOptions, type ImportResult } from '../../src/importer/import-file.js';
import { mergeAcrossSources } from '../../src/importer/merge-sources.js';
import { tempDir } from '../support/temp-case.js';

/** ../shared/datasets, next to the repository. */
export const DATASETS = fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
export const HAVE_DATASETS = existsSync(DATASETS);
if (!HAVE_DATASETS) console.warn(`SKIPPING reader sample tests: ${DATASETS} is absent`);

export const sample = (rel: string): string => `${DATASETS}${rel}`;

/** A fresh case database in a temp dir, importing with the CLI's cross-source merge. */
export function newCase(): { db: Db; path(name: string): string; import(file: string, o?: ImportOptions): Promise<ImportResult>; close(): void } {
  const tmp = tempDir();
  const db = openCaseForWrite(tmp.path('case.db'));
  return {
    db,
    path: tmp.path,
    import: (file, o = {}) => importFile(db, file, { afterWrite: mergeAcrossSources, worker: false, ...o }),
    close() {
      db.close();
      tmp.cleanup();
    },
  };
}

export interface Proc {
  processId: number;
  pid: number;
  /** pid of the parent process row, null for a root. */
  parentPid: number | null;
  origin: string;
  exitCode: number | null;
  exitSignal: number | null;
  threads: number;
  /** Its images in order: name and argv (exact, when known) or cmdline. */
  images: {
    kind: string;
    name: string | null;
    exepath: string | null;
    /** argv[1..]: argv_json when stored (joining would lose information), else args split at spaces. */
    argv: string[];
    args: string | null;
    cmdline: string | null;
    ppid: number | null;
    res: number | null;
  }[];
}

/** Every process of the case with its parent's pid and its images. */
export function processes(db: Db, host?: string): Proc[] {
  const rows = db
    .prepare(`SELECT p.process_id, p.pid, pp.pid AS ppid, p.origin, p.exit_code, p.exit_signal, p.thread_count
              FROM processes p LEFT JOIN processes pp ON pp.process_id = p.parent_process_id
              JOIN hosts h ON h.host_id = p.host_id WHERE (? IS NULL OR h.hostname = ?) ORDER BY p.process_id`)
    .all(host ?? null, host ?? null) as Record<string, bigint | string | null>[];
  const images = db.prepare(`SELECT kind, name, exepath, argv_json, args, cmdline, ppid, res FROM execs WHERE process_id = ?
                             ORDER BY ts_ns IS NOT NULL, ts_ns, exec_id`);
  return rows.map((r) => ({
    processId: Number(r.process_id),
    pid: Number(r.pid),
    parentPid: r.ppid === null ? null : Number(r.ppid),
    origin: String(r.origin),
    exitCode: r.exit_code === null ? null : Number(r.exit_code),
    exitSignal: r.exit_signal === null ? null : Number(r.exit_signal),
    threads: Number(r.thread_count),
    images: (images.all(r.process_id) as Record<string, bigint | string | null>[]).map((i) => ({
      kind: String(i.kind),
      name: i.name as string | null,
      exepath: i.exepath as string | null,
      argv: i.argv_json !== null ? (JSON.parse(String(i.argv_json)) as string[]) : i.args === null ? [] : String(i.args).split(' '),
      args: i.args as string | null,
      cmdline: i.cmdline as string | null,
      ppid: i.ppid === null ? null : Number(i.ppid),
      res: i.res === null ? null : Number(i.res),
    })),
  }));
}

/** `parent>child` edges between process rows, sorted: the shape of the tree. */
export function edges(procs: Proc[]): string[] {
  return procs
    .filter((p) => p.parentPid !== null)
    .map((p) => `${p.parentPid}>${p.pid}`)
    .sort();
}

/** The one process with this pid. */
export function proc(procs: Proc[], pid: number): Proc {
  const found = procs.filter((p) => p.pid === pid);
  if (found.length !== 1) throw new Error(`expected one process ${pid}, found ${found.length}`);
  return found[0]!;
}

/** Successful exec images of a process as `name args`. */
export function execImages(p: Proc): string[] {
  return p.images.filter((i) => i.kind === 'exec' && i.res === 0).map((i) => `${i.name} ${i.args ?? ''}`.trimEnd());
}
