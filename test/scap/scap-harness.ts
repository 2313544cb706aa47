import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openCaseForWrite } from '../../src/db/open.js';
import { importFile, type ImportResult } from '../../src/importer/import-file.js';
import { runPedigree } from '../support/run-cli.js';

/** The truth files' format (MANIFEST.md), used for differential runs against sysdig. */
export const EXEC_FORMAT =
  '*%evt.num\\t%evt.type\\t%proc.pid\\t%proc.ppid\\t%proc.vpid\\t%proc.name\\t%proc.pname\\t%proc.aname[2]\\t%proc.aname[3]\\t%proc.exepath\\t%proc.cmdline\\t%container.id\\t%container.name\\t%container.image';

export const HAVE_SYSDIG = spawnSync('sysdig', ['--version'], { encoding: 'utf8' }).status === 0;
if (!HAVE_SYSDIG) console.warn('SKIPPING sysdig read-back checks: sysdig is not installed (apt-get install sysdig)');

let dir: string | undefined;
export function scratchDir(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'pedigree-scap-'));
  return dir;
}

export interface Imported {
  path: string;
  dbPath: string;
  result: ImportResult;
  /** Read-only SQL over the case. */
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  execsLines(format?: string): string[];
}

let counter = 0;
/** Writes the capture to a temp file and imports it into a fresh case. */
export async function importCapture(capture: Buffer, name = 'capture', options: { skipBad?: boolean } = {}): Promise<Imported> {
  const base = `${name}-${process.pid}-${counter++}`;
  const path = join(scratchDir(), `${base}.scap`);
  const dbPath = join(scratchDir(), `${base}.db`);
  writeFileSync(path, capture);
  const db = openCaseForWrite(dbPath);
  let result: ImportResult;
  try {
    result = await importFile(db, path, { skipBad: options.skipBad });
  } finally {
    db.close();
  }
  return {
    path,
    dbPath,
    result,
    all<T>(sql: string, ...params: unknown[]): T[] {
      const ro = new Database(dbPath, { readonly: true });
      try {
        return ro.prepare(sql).all(...params) as T[];
      } finally {
        ro.close();
      }
    },
    execsLines(format = EXEC_FORMAT): string[] {
      const r = runPedigree(['execs', '--db', dbPath, '-p', format]);
      if (r.status !== 0) throw new Error(`pedigree execs failed: ${r.stderr}`);
      return r.stdout.split('\n').filter((l) => l !== '');
    },
  };
}

/** What sysdig 0.29.3 prints for the execve/execveat exits of a capture file. */
export function sysdigExecLines(path: string, format = EXEC_FORMAT): string[] {
  const r = spawnSync('sysdig', ['-r', path, '-p', format.replace(/\\t/g, '\t'), 'evt.type in (execve, execveat) and evt.dir=<'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`sysdig could not read ${path}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}
