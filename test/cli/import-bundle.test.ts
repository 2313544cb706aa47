import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateScap } from '../../bench/scap-generate.js';
import { READ_THREAD_MIN_BYTES } from '../../src/importer/early-read-thread.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { tempDir } from '../support/temp-case.js';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const BUNDLE = join(DIST, 'import-bundle', 'start.cjs');
const HAVE_BUNDLE = existsSync(BUNDLE) && existsSync(join(DIST, 'bin.js'));
if (!HAVE_BUNDLE) console.warn(`SKIPPING the import bundle test: ${BUNDLE} is absent (npm run build makes it)`);

/**
 * `pedigree import` runs from one bundled script and its code cache (scripts/bundle-import.mjs)
 * when the build made them: it must write the case the compiled modules write, finding the files
 * its modules find next to themselves (package.json for the version, the schema, the worker
 * scripts), and V8 must take the cache the build wrote.
 */
describe.skipIf(!HAVE_BUNDLE || !HAVE_CAPTURES)('import from the bundle', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  const importWith = (entry: string, db: string, files: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [entry, 'import', ...files, '--db', db, '--json'], { encoding: 'utf8', env: { ...process.env, ...env } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const rows = (path: string, sql: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).raw().all();
    } finally {
      db.close();
    }
  };

  it('writes the case the compiled modules write', () => {
    const files = [join(CAPTURES_DIR, 'sfcollector__alpine_alpine.scap'), join(CAPTURES_DIR, 'falco__cat_write.scap')];
    const bundled = importWith(BUNDLE, tmp.path('bundled.db'), files);
    const modules = importWith(join(DIST, 'bin.js'), tmp.path('modules.db'), files);
    expect(bundled.err).toBe(modules.err);
    expect(bundled.code).toBe(0);
    expect(JSON.parse(bundled.out)).toEqual(JSON.parse(modules.out));
    for (const sql of [
      'SELECT * FROM execs ORDER BY exec_id',
      'SELECT * FROM processes ORDER BY process_id',
      'SELECT capture_id, path, sha256, content_sha256, importer, status FROM captures ORDER BY capture_id',
      'SELECT name, sha256 FROM schema_migrations ORDER BY name',
      'SELECT type, name, sql FROM sqlite_schema ORDER BY type, name',
    ]) {
      const want = rows(tmp.path('modules.db'), sql);
      expect(want.length, sql).toBeGreaterThan(0);
      expect(rows(tmp.path('bundled.db'), sql), sql).toEqual(want);
    }
  });

  it('starts from the code cache the build wrote, and from the source when the cache does not fit', () => {
    const file = join(CAPTURES_DIR, 'falco__cat_write.scap');
    const run = (db: string, args: string[] = []) =>
      spawnSync(process.execPath, [...args, BUNDLE, 'import', file, '--db', tmp.path(db), '-q'], {
        encoding: 'utf8',
        env: { ...process.env, PEDIGREE_TIMING: '1' },
      });
    const cached = run('cached.db');
    expect(cached.status).toBe(0);
    // The cache fits the Node release that built it (CI runs the suite again on a later one, which
    // loads the bundle as a module through its own compile cache where it has one: Node 22.1+).
    const builtBy = readFileSync(`${BUNDLE.replace(/start\.cjs$/, 'bin.cache')}.node`, 'utf8');
    const sameNode = builtBy === process.version;
    const nodeCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
    const otherNode = nodeCompileCache ? "timing: import bundle through Node's compile cache" : 'timing: import bundle code cache rejected';
    expect(cached.stderr).toContain(sameNode ? 'timing: import bundle from its code cache' : otherNode);
    // Other V8 flags than the build's: V8 refuses the cache and compiles the source.
    const refused = run('refused.db', ['--max-lazy']);
    expect(refused.status).toBe(0);
    expect(refused.stderr).toContain(sameNode ? 'timing: import bundle code cache rejected' : otherNode);
    expect(rows(tmp.path('refused.db'), 'SELECT * FROM execs ORDER BY exec_id')).toEqual(rows(tmp.path('cached.db'), 'SELECT * FROM execs ORDER BY exec_id'));
  });

  it('reads and hashes a large .scap in the bundled helper thread as the compiled modules do', () => {
    const file = tmp.path('large.scap');
    generateScap(file, READ_THREAD_MIN_BYTES + 1_000_000);
    const bundled = importWith(BUNDLE, tmp.path('large-bundled.db'), [file]);
    const modules = importWith(join(DIST, 'bin.js'), tmp.path('large-modules.db'), [file]);
    expect(bundled.code, bundled.err).toBe(0);
    expect(JSON.parse(bundled.out)).toEqual(JSON.parse(modules.out));
    const sql = 'SELECT sha256, content_sha256, content_bytes, content_checkpoints, exec_count FROM captures';
    expect(rows(tmp.path('large-bundled.db'), sql)).toEqual(rows(tmp.path('large-modules.db'), sql));
    expect(rows(tmp.path('large-bundled.db'), 'SELECT sha256 FROM captures')).toEqual([[createHash('sha256').update(readFileSync(file)).digest('hex')]]);
  }, 60_000);

  it('reads JSON lines in the bundled import worker as the compiled modules do', () => {
    const file = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
    const inWorker = { PEDIGREE_IMPORT_WORKER: '1' };
    const bundled = importWith(BUNDLE, tmp.path('jsonl-bundled.db'), [file], inWorker);
    const modules = importWith(join(DIST, 'bin.js'), tmp.path('jsonl-modules.db'), [file], inWorker);
    const oneThread = importWith(BUNDLE, tmp.path('jsonl-one-thread.db'), [file], { PEDIGREE_IMPORT_WORKER: '0' });
    expect(bundled.code, bundled.err).toBe(0);
    expect(JSON.parse(bundled.out)).toEqual(JSON.parse(modules.out));
    for (const sql of ['SELECT * FROM execs ORDER BY exec_id', 'SELECT * FROM processes ORDER BY process_id']) {
      const want = rows(tmp.path('jsonl-one-thread.db'), sql);
      expect(want.length, sql).toBeGreaterThan(0);
      expect(rows(tmp.path('jsonl-bundled.db'), sql), sql).toEqual(want);
      expect(rows(tmp.path('jsonl-modules.db'), sql), sql).toEqual(want);
    }
    expect(oneThread.code).toBe(0);
  });

  it('fails as the compiled modules fail, with the same message and exit code', () => {
    const bundled = importWith(BUNDLE, tmp.path('b2.db'), [tmp.path('absent.scap')]);
    const modules = importWith(join(DIST, 'bin.js'), tmp.path('m2.db'), [tmp.path('absent.scap')]);
    expect(bundled.code).toBe(66);
    expect([bundled.code, bundled.err]).toEqual([modules.code, modules.err]);
  });
});
