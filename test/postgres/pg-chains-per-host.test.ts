import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileChains, evaluableChains, selectChains } from '../../src/chains/chainset.js';
import type { ChainMatch } from '../../src/chains/run/chain-match.js';
import { runCompiledChains } from '../../src/chains/run/chain-runner.js';
import { openCaseReadOnly } from '../../src/db/open.js';
import { openPostgresReadOnly } from '../../src/db/postgres/open-postgres.js';
import { loadRulesFiles } from '../../src/rules/loader/load-rules.js';
import { BUNDLED_CHAINS } from '../chains/run-chains.js';
import { freshPgDatabase, PG_TEST_URL, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * On PostgreSQL chains run one query per host (concurrently, each inside one shard of a case
 * distributed by host): the union must be the single query's answer and SQLite's, on the
 * bundled sample and the real attack datasets imported together as one multi-host case.
 */
warnSkippedWithoutPg('chains per host on PostgreSQL');

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const LOG4SHELL = join(SHARED, 'datasets/otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json');
const TETRAGON_CH3 = join(SHARED, 'datasets/tetragon/docs-sec-obs-ch3');
const CAPTURES = join(SHARED, 'captures');
const HAVE_SHARED = existsSync(LOG4SHELL) && existsSync(TETRAGON_CH3) && existsSync(CAPTURES);
if (PG_TEST_URL && !HAVE_SHARED) console.warn(`SKIPPING chains per host on PostgreSQL: ${SHARED} datasets or captures are absent`);

function jsonUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonUnder(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
    .sort();
}

const summary = (ms: ChainMatch[]) =>
  ms.map((m) => ({ chain: m.chain, host: m.hostname, steps: m.steps.map((s) => [s.execId, s.tsNs, s.path]), output: m.output }));

describe.skipIf(!PG_TEST_URL || !HAVE_SHARED)('chains on PostgreSQL, one query per host', () => {
  const tmp = tempDir('pedigree-pg-chains-');
  const sqlite = tmp.path('case.db');
  let url = '';
  let drop: () => Promise<void> = async () => {};
  const compiled = () => evaluableChains(compileChains(selectChains(loadRulesFiles([BUNDLED_CHAINS]))));

  beforeAll(async () => {
    const captures = readdirSync(CAPTURES)
      .filter((f) => f.endsWith('.scap'))
      .sort()
      .slice(0, 4)
      .map((f) => join(CAPTURES, f));
    const inputs = [fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url)), LOG4SHELL, ...jsonUnder(TETRAGON_CH3), ...captures];
    const imported = runCli(['import', ...inputs, '--db', sqlite, '-q']);
    expect(imported.stderr).toBe('');
    const fresh = await freshPgDatabase();
    url = fresh.url;
    drop = fresh.drop;
    expect(runCli(['copy', '--from', sqlite, '--to', url]).code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await drop();
    tmp.cleanup();
  });

  it('finds the same matches as SQLite, and each chain the rows of its single whole-case query', () => {
    const chains = compiled();
    const sq = openCaseReadOnly(sqlite);
    const pq = openPostgresReadOnly(url).asDatabase();
    try {
      const hosts = pq.prepare('SELECT count(*) AS n FROM hosts').get() as { n: bigint };
      expect(Number(hosts.n)).toBeGreaterThan(3);
      const onPg = runCompiledChains(pq, chains);
      const onSqlite = runCompiledChains(sq, chains);
      expect(onPg.failures).toEqual([]);
      expect(new Set(onSqlite.matches.map((m) => m.hostname)).size).toBeGreaterThan(1);
      expect(summary(onPg.matches)).toEqual(summary(onSqlite.matches));
      for (const c of chains) {
        const whole = pq.prepare(c.sql).all(...c.parameters) as Record<string, bigint>[];
        const single = whole.map((r) => c.chain.steps.map((_s, i) => r[`x${i}`]).join(' ')).sort();
        const perHost = onPg.matches
          .filter((m) => m.chain === c.chain.def.name)
          .map((m) => m.steps.map((s) => s.execId).join(' '))
          .sort();
        expect({ chain: c.chain.def.name, rows: perHost }).toEqual({ chain: c.chain.def.name, rows: single });
      }
    } finally {
      sq.close();
      pq.close();
    }
  }, 300_000);
});
