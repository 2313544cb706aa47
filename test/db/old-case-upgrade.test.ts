import Database from 'better-sqlite3';
import { copyFileSync, createReadStream, existsSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';
import { requireCurrentSchema } from '../../src/db/schema-version.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { runCli } from '../support/run-cli.js';
import { oldCaseFrom, oldSchemaDir } from '../support/old-case.js';
import { tempDir } from '../support/temp-case.js';

const CAPTURE = join(CAPTURES_DIR, 'bencer-examples__example4-1.scap');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

/**
 * A case as pedigree wrote it before schema 004: migrations 001–003 only, holding the rows a
 * fresh import of the same capture holds.
 */
function buildVersion3Case(path: string, fresh: string): void {
  expect(oldCaseFrom(path, fresh, '004', tmp.path('.'))).toBeGreaterThan(0);
}

function sha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}

function migrationsOf(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[];
  } finally {
    db.close();
  }
}

const READ_COMMANDS: string[][] = [
  ['ps', '--json'],
  ['tree', '--json'],
  ['captures', '--json'],
];

describe.skipIf(!HAVE_CAPTURES)('a case written by an earlier pedigree (schema 003)', () => {
  const fresh = tmp.path('fresh.db');
  const old = tmp.path('old.db');

  beforeAll(() => {
    const r = runCli(['import', CAPTURE, '--db', fresh]);
    if (r.code !== 0) throw new Error(r.stderr);
    buildVersion3Case(old, fresh);
  });

  it('read commands stop with exit 65, naming the case, its schema and the upgrade, and leave it untouched', async () => {
    const before = await sha256(old);
    for (const args of [...READ_COMMANDS, ['query', 'SELECT count(*) FROM processes'], ['execs', '-p', '%proc.name']]) {
      const r = runCli([...args, '--db', old]);
      expect(r.code, args.join(' ')).toBe(65);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `pedigree: ${old} was written by an earlier pedigree (schema 003_chains.sql); upgrade it once with \`pedigree db upgrade --db ${old}\` (it keeps a copy as ${old}.bak unless --no-backup)\n`,
      );
    }
    expect(await sha256(old)).toBe(before);
    expect(migrationsOf(old)).toEqual(['001_case.sql', '002_name_index.sql', '003_chains.sql']);
  });

  it('upgrade applies the pending migrations, keeps a backup, and the commands then agree with a fresh import', () => {
    const pending = listMigrations()
      .filter((m) => m.name >= '004')
      .map((m) => m.name);
    const r = runCli(['db', 'upgrade', '--db', old]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${pending.map((n) => `applied ${n}\n`).join('')}upgraded ${old} from schema 003_chains.sql to ${pending.at(-1)}\nthe case as it was is kept at ${old}.bak\n`,
    );
    expect(migrationsOf(`${old}.bak`)).toEqual(['001_case.sql', '002_name_index.sql', '003_chains.sql']);
    expect(migrationsOf(old)).toEqual(listMigrations().map((m) => m.name));
    for (const args of [
      ['ps', '--json'],
      ['tree', '--json'],
    ]) {
      const upgraded = runCli([...args, '--db', old]);
      const fromScratch = runCli([...args, '--db', fresh]);
      expect(upgraded.code, args.join(' ')).toBe(0);
      expect(JSON.parse(upgraded.stdout)).toEqual(JSON.parse(fromScratch.stdout));
    }
    const processes = JSON.parse(runCli(['ps', '--json', '--db', old]).stdout) as unknown[];
    expect(processes.length).toBeGreaterThan(10);
    const captures = runCli(['captures', '--json', '--db', old]);
    expect(captures.code).toBe(0);
    expect(JSON.parse(captures.stdout)).toEqual(JSON.parse(runCli(['captures', '--json', '--db', fresh]).stdout));

    const again = runCli(['db', 'upgrade', '--db', old]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`${old} is up to date (schema ${pending.at(-1)}); nothing to do\n`);
  });

  it('refuses to overwrite an earlier backup, and --no-backup makes none', () => {
    const second = tmp.path('second.db');
    buildVersion3Case(second, fresh);
    writeFileSync(`${second}.bak`, 'an earlier copy');
    const refused = runCli(['db', 'upgrade', '--db', second]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${second}.bak already exists`);
    expect(migrationsOf(second)).toHaveLength(3);

    const third = tmp.path('third.db');
    buildVersion3Case(third, fresh);
    const r = runCli(['db', 'upgrade', '--no-backup', '--db', third]);
    expect(r.code).toBe(0);
    expect(existsSync(`${third}.bak`)).toBe(false);
    expect(runCli(['ps', '--db', third]).code).toBe(0);
  });
});

describe('a case written by a newer pedigree', () => {
  it('is refused on read, on write and by upgrade, with exit 65 and nothing changed', async () => {
    const path = tmp.path('newer.db');
    const db = new Database(path);
    applyMigrations(db);
    db.prepare("INSERT INTO schema_migrations (name, sha256, applied_ns) VALUES ('999_from_the_future.sql', 'x', 1)").run();
    db.close();
    const before = await sha256(path);
    const latest = listMigrations().at(-1)?.name;
    const message = `pedigree: ${path} was written by a newer pedigree (schema 999_from_the_future.sql; this one knows up to ${latest}); open it with that pedigree or a newer one\n`;
    for (const args of [['ps'], ['captures'], ['db', 'upgrade'], ['import', join(import.meta.dirname, '..', '..', 'samples', 'story.jsonl')]]) {
      const r = runCli([...args, '--db', path]);
      expect(r.code, args.join(' ')).toBe(65);
      expect(r.stderr).toBe(message);
    }
    expect(await sha256(path)).toBe(before);
  });
});

describe('a migration that fails part-way', () => {
  it('leaves the case exactly as it was: no table of the failed upgrade, no migration recorded', () => {
    const dir = oldSchemaDir(tmp.path('.'), '004');
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF');
    applyMigrations(db, dir);
    const schemaBefore = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    copyFileSync(join(SCHEMA_DIR, '004_hosts.sql'), join(dir, '004_hosts.sql'));
    writeFileSync(join(dir, '005_broken.sql'), 'CREATE TABLE half_done (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n');
    expect(() => applyMigrations(db, dir)).toThrow(/no_such_table/);
    expect(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all()).toEqual(schemaBefore);
    expect(db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all()).toEqual(['001_case.sql', '002_name_index.sql', '003_chains.sql']);
  });
});

describe('the upgrade command in the message', () => {
  it('quotes a case path a shell would split, so it can be pasted back', () => {
    const db = new Database(':memory:');
    applyMigrations(db, oldSchemaDir(tmp.path('.'), '004'));
    expect(() => requireCurrentSchema(db, "/cases/day one/it's.db")).toThrow("upgrade it once with `pedigree db upgrade --db '/cases/day one/it'\\''s.db'`");
    applyMigrations(db);
    expect(() => requireCurrentSchema(db, 'case.db')).not.toThrow();
  });
});
