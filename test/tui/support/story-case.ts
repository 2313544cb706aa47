import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { openCaseForWrite } from '../../../src/db/open.js';

export const ROOT = join(import.meta.dirname, '..', '..', '..');
export const STORY = join(ROOT, 'samples', 'story.jsonl');

export interface StoryCase {
  dir: string;
  dbPath: string;
  /** exec ids of the sample's interesting images, looked up by name. */
  execs: { cat: number; sh: number; curl: number };
  cleanup(): void;
}

/**
 * Imports samples/story.jsonl into a fresh case with the real `pedigree import` (so the case
 * is what an investigator gets) and adds two alerts (the rule commands are
 * not part of this test): a Warning on `cat /etc/shadow` and a Notice on the shell.
 */
export function storyCase(options: { alerts?: boolean } = {}): StoryCase {
  const dir = mkdtempSync(join(tmpdir(), 'pedigree-tui-'));
  const dbPath = join(dir, 'story.db');
  execFileSync(process.execPath, [join(ROOT, 'bin', 'pedigree.js'), 'import', STORY, '--db', dbPath], { stdio: 'pipe' });
  const db = openCaseForWrite(dbPath);
  const id = (sql: string): number => Number((db.prepare(sql).get() as { exec_id: bigint }).exec_id);
  const execs = {
    cat: id("SELECT exec_id FROM execs WHERE kind = 'exec' AND name = 'cat' AND cmdline LIKE '%shadow%'"),
    sh: id("SELECT exec_id FROM execs WHERE kind = 'exec' AND name = 'sh' ORDER BY exec_id LIMIT 1"),
    curl: id("SELECT exec_id FROM execs WHERE kind = 'exec' AND name = 'curl'"),
  };
  if (options.alerts !== false) {
    const insert = db.prepare(`INSERT INTO alerts (exec_id, rule, priority, time_ns, output, origin, run_ns, host_id)
      SELECT exec_id, ?, ?, ts_ns, ?, 'test', 0, host_id FROM execs WHERE exec_id = ?`);
    insert.run('Read sensitive file untrusted', 'Warning', 'Sensitive file opened for reading (file=/etc/shadow command=cat /etc/shadow)', execs.cat);
    insert.run('Terminal shell in container', 'Notice', 'A shell was spawned in a container (shell=sh parent=nginx)', execs.sh);
  }
  db.close();
  return { dir, dbPath, execs, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
