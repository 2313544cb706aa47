import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../src/cli/main.js';
import { sample } from '../readers/sample-case.js';
import { BIN } from '../support/run-cli.js';

export const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
export const STORY_JSONL = `${SAMPLES}story.jsonl`;
export const SEED_RULES = `${SAMPLES}rules/spawn-shell-in-container.yaml`;

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a pedigree command in this process, as a fresh read of the case on disk (each command
 * opens its own connection). Spawning a process per read command would cost a second each.
 */
export async function cli(args: string[]): Promise<Ran> {
  const out: string[] = [];
  const err: string[] = [];
  const realOut = process.stdout.write.bind(process.stdout);
  const realErr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  process.exitCode = undefined;
  try {
    const code = await runCli(['node', 'pedigree', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = realOut;
    process.stderr.write = realErr;
    process.exitCode = undefined;
  }
}

/**
 * Every command that reads a case, as an investigator would run them on the story case.
 * `rules run` and `chains run` save their hits unless `save` is false (a write: it queues).
 */
export function readCommands(db: string, save = true): string[][] {
  const noSave = save ? [] : ['--no-save'];
  return [
    ['captures', '--db', db],
    ['containers', '--db', db],
    ['ps', '--db', db],
    ['tree', '--db', db],
    ['ancestors', '--pid', '4004', '--db', db],
    ['descendants', '--pid', '4001', '--db', db],
    ['execs', '-p', '%proc.name %proc.pname', '--db', db],
    ['query', 'SELECT count(*) FROM execs', '--db', db],
    ['queries', 'run', 'shells-spawned-in-containers', '--db', db],
    ['rules', 'run', SEED_RULES, '--db', db, ...noSave],
    ['chains', 'run', '--db', db, ...noSave],
  ];
}

/** SQLite's own verdict on the file, from a fresh read-only connection. */
export function integrityCheck(db: string): string {
  const conn = new Database(db, { readonly: true });
  try {
    return (conn.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  } finally {
    conn.close();
  }
}

export function captureRows(db: string): { path: string; status: string }[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare('SELECT path, status FROM captures ORDER BY capture_id').all() as { path: string; status: string }[];
  } finally {
    conn.close();
  }
}

export interface Child {
  proc: ChildProcess;
  stderr(): string;
  stdout(): string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `pedigree ARGS` as a separate process (so it can be killed, or hold a lock). */
export function startPedigree(args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d) => {
    out += String(d);
  });
  proc.stderr?.on('data', (d) => {
    err += String(d);
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  return { proc, stderr: () => err, stdout: () => out, done };
}

/** Resolves once `pred` holds, polling; rejects after `ms`. */
export async function waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The real Tetragon export `copies` times over, written to `path`: each copy its own processes
 * (exec ids suffixed, pids shifted within pid_max), and none of them exits.
 */
export function writeScaledTetragon(path: string, copies: number): string {
  const events = readFileSync(sample('tetragon/testdata/events.json'), 'utf8').trim();
  const fd = openSync(path, 'w');
  for (let i = 0; i < copies; i++) {
    const copy = events
      .replace(/"(exec_id|parent_exec_id)":"([^"]+)"/g, (_, k: string, v: string) => `"${k}":"${v}${i}"`)
      .replace(/"pid":(\d+)/g, (_, n: string) => `"pid":${(Number(n) + i * 16) % 4_194_304}`);
    writeSync(fd, `${copy}\n`);
  }
  closeSync(fd);
  return path;
}
