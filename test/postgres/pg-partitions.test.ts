import { existsSync, readdirSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresForWrite, openPostgresReadOnly } from '../../src/db/postgres/open-postgres.js';
import type { PgCaseDb } from '../../src/db/postgres/pg-case-db.js';
import { ancestorsOf } from '../../src/lineage/ancestry.js';
import { descendantsOf } from '../../src/lineage/descendants.js';
import { compileChain } from '../../src/chains/compile/chain-query.js';
import { compileChains, evaluableChains, selectChains } from '../../src/chains/chainset.js';
import { loadRulesFiles } from '../../src/rules/loader/load-rules.js';
import { compileRules, evaluableRules } from '../../src/rules/ruleset.js';
import { freshPgDatabase, PG_TEST_URL, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

warnSkippedWithoutPg('single-partition lineage on a case partitioned by host');

const SAMPLE = new URL('../../samples/story.jsonl', import.meta.url).pathname;
const SAMPLE_RULES = new URL('../../samples/rules/', import.meta.url).pathname;
const CAPTURES = new URL('../../../shared/captures/', import.meta.url).pathname;
const BUNDLED_CHAINS = new URL('../../rules/chains.yaml', import.meta.url).pathname;
const PARTITIONS = 4;

interface Recorded {
  sql: string;
  params: unknown[];
}

/** The connection, with every statement run through it recorded (SQL and bound values). */
function recording(db: PgCaseDb, seen: Recorded[]): BetterSqlite3.Database {
  const real = db.asDatabase();
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop !== 'prepare') return Reflect.get(target, prop, receiver);
      return (sql: string) => {
        const stmt = target.prepare(sql);
        const wrapped: BetterSqlite3.Statement = new Proxy(stmt, {
          get(s, p, r) {
            const v = Reflect.get(s, p, r);
            if (p === 'raw' || p === 'pluck') {
              return (...a: unknown[]) => {
                (v as (...x: unknown[]) => unknown).apply(s, a);
                return wrapped;
              };
            }
            if (p !== 'all' && p !== 'get' && p !== 'iterate') return typeof v === 'function' ? v.bind(s) : v;
            return (...params: unknown[]) => {
              seen.push({ sql, params });
              return (v as (...a: unknown[]) => unknown).apply(s, params);
            };
          },
        });
        return wrapped;
      };
    },
  });
}

/** Partitions (execs_p0, processes_p3, …) a plan reads, from EXPLAIN (FORMAT JSON). */
function partitionsRead(db: BetterSqlite3.Database, q: Recorded): string[] {
  const [row] = db
    .prepare(`EXPLAIN (FORMAT JSON) ${q.sql}`)
    .raw(true)
    .all(...q.params) as unknown[][];
  const plan = typeof row?.[0] === 'string' ? JSON.parse(row[0] as string) : row?.[0];
  const out = new Set<string>();
  const walk = (node: Record<string, unknown>) => {
    const rel = node['Relation Name'];
    if (typeof rel === 'string' && /_p\d+$/.test(rel)) out.add(rel);
    for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  for (const p of plan as { Plan: Record<string, unknown> }[]) walk(p.Plan);
  return [...out].sort();
}

describe.skipIf(!PG_TEST_URL)(`a case hash-partitioned by host_id (${PARTITIONS} partitions, Citus's layout on plain PostgreSQL)`, () => {
  const tmp = tempDir('pedigree-pg-partitions-');
  let url = '';
  let drop: () => Promise<void> = async () => {};
  let db: PgCaseDb;

  beforeAll(async () => {
    const sqlite = tmp.path('case.db');
    const shared = existsSync(CAPTURES)
      ? readdirSync(CAPTURES)
          .filter((f) => f.endsWith('.scap'))
          .slice(0, 3)
          .map((f) => CAPTURES + f)
      : [];
    expect(runCli(['import', SAMPLE, ...shared, '--db', sqlite]).code).toBe(0);
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    openPostgresForWrite(url, { hashPartitions: PARTITIONS }).close();
    const copied = runCli(['copy', '--from', sqlite, '--to', url]);
    expect(copied.stderr).toBe('');
    db = openPostgresReadOnly(url);
  }, 180_000);
  afterAll(async () => {
    db?.close();
    await drop();
    tmp.cleanup();
  });

  it("keeps each host's rows in one partition", () => {
    const perHost = db.prepare('SELECT host_id, count(DISTINCT tableoid) AS parts FROM execs GROUP BY host_id ORDER BY host_id').all() as { parts: bigint }[];
    expect(perHost.length).toBeGreaterThanOrEqual(1);
    for (const h of perHost) expect(h.parts).toBe(1n);
  });

  it('ancestry and subtree queries each read exactly one partition of the host-scoped tables', () => {
    const deepest = db.prepare(`SELECT exec_id FROM execs WHERE parent_exec_id IS NOT NULL ORDER BY exec_id DESC LIMIT 1`).pluck().get();
    const root = db.prepare('SELECT process_id FROM processes WHERE parent_process_id IS NULL ORDER BY process_id LIMIT 1').pluck().get();
    const seen: Recorded[] = [];
    const rec = recording(db, seen);
    expect(ancestorsOf(rec, Number(deepest)).length).toBeGreaterThan(1);
    expect(descendantsOf(rec, Number(root)).length).toBeGreaterThan(1);
    // Every statement that reads host-scoped rows for the walk (the host lookup by id and the
    // walk bound read every partition's index once, by design, and name no host).
    const lineage = seen.filter((q) => /host_id = \?/.test(q.sql));
    expect(lineage.filter((q) => /WITH RECURSIVE/.test(q.sql))).toHaveLength(2);
    for (const q of lineage) {
      const parts = partitionsRead(db.asDatabase(), q);
      const suffixes = new Set(parts.map((p) => p.replace(/^.*_p/, '')));
      expect({ sql: q.sql.slice(0, 60), suffixes: [...suffixes] }).toEqual({ sql: q.sql.slice(0, 60), suffixes: [expect.any(String)] });
      expect(parts.length).toBeGreaterThan(0);
    }
  });

  it('rules read every partition of execs', () => {
    const files = readdirSync(SAMPLE_RULES)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => SAMPLE_RULES + f);
    const compiled = evaluableRules(compileRules(loadRulesFiles(files).rules));
    expect(compiled.length).toBeGreaterThan(0);
    for (const c of compiled) {
      const parts = partitionsRead(db.asDatabase(), { sql: c.sql, params: c.parameters });
      expect(parts.filter((p) => p.startsWith('execs_p'))).toEqual(Array.from({ length: PARTITIONS }, (_v, i) => `execs_p${i}`));
    }
  });

  it('chains compiled for one host (as they run on PostgreSQL) read one partition of each host-scoped table', () => {
    const chains = evaluableChains(compileChains(selectChains(loadRulesFiles([BUNDLED_CHAINS]))));
    expect(chains.length).toBeGreaterThan(0);
    const hosts = db.prepare('SELECT host_id FROM hosts ORDER BY host_id').pluck().all() as bigint[];
    for (const c of chains) {
      for (const hostId of hosts) {
        const one = compileChain(c.chain, { hostId });
        if (one.status !== 'evaluable') throw new Error(`${c.chain.def.name} does not compile for host ${hostId}`);
        const parts = partitionsRead(db.asDatabase(), { sql: one.compiled.sql, params: one.compiled.parameters });
        const suffixes = new Set(parts.map((p) => p.replace(/^.*_p/, '')));
        expect({ chain: c.chain.def.name, hostId, suffixes: suffixes.size }).toEqual({ chain: c.chain.def.name, hostId, suffixes: 1 });
      }
    }
  });
});
