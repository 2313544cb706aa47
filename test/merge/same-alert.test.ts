import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ALERT_KEY_PG_SQL, alertKey } from '../../src/db/alert-key.js';
import { HAVE_DATASETS, newCase, sample } from '../readers/sample-case.js';
import { PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';
import { oldCaseFrom } from '../support/old-case.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * An imported alert that another capture already brought (same host, time, rule and output) is
 * stored once; the same alert twice within one export is two alerts. The look-up goes through
 * the alert's output_key, which a case from before schema 010 gets on upgrade.
 */
warnSkippedWithoutPg('the alert key computed by PostgreSQL');

const T = 1_700_000_000_123_456_789n;

function alertLine(rule: string, output: string, time: bigint | null): string {
  const fields = time === null ? {} : { 'evt.time': '__T__' };
  const line = JSON.stringify({ hostname: 'node-7', output, priority: 'Warning', rule, source: 'syscall', tags: ['test'], output_fields: fields });
  return time === null ? line : line.replace('"__T__"', String(time));
}

function storedAlerts(db: Database.Database): string[] {
  return (
    db.prepare('SELECT capture_id, time_ns, rule, output, output_key FROM alerts ORDER BY alert_id').safeIntegers().all() as {
      capture_id: bigint;
      time_ns: bigint | null;
      rule: string;
      output: string;
      output_key: bigint | null;
    }[]
  ).map((a) => {
    expect(a.output_key, `${a.rule}: ${a.output}`).toBe(BigInt(alertKey(a.rule, a.output)));
    return `${a.capture_id} ${a.time_ns ?? '-'} ${a.rule}: ${a.output}`;
  });
}

describe('the same alert from two exports', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  for (const time of [T, null]) {
    it(`${time === null ? 'alerts without a time' : 'alerts at one time'}: repeats within an export stay, the other export's copies go`, async () => {
      c = newCase();
      const first = c.path('first.jsonl');
      const second = c.path('second.jsonl');
      writeFileSync(
        first,
        `${[alertLine('Shell in container', 'sh by www', time), alertLine('Shell in container', 'sh by www', time), alertLine('Read shadow', 'cat /etc/shadow', time)].join('\n')}\n`,
      );
      writeFileSync(
        second,
        `${[alertLine('Shell in container', 'sh by www', time), alertLine('Shell in container', 'sh by root', time), alertLine('Read shadow', 'cat /etc/shadow', time)].join('\n')}\n`,
      );
      await c.import(first);
      await c.import(second);
      // What was left out is said, with the capture that holds it.
      const said = c.db.prepare('SELECT capture_id, message FROM capture_warnings ORDER BY rowid').raw(true).all() as [bigint | number, string][];
      expect(said.map(([id, m]) => `${id}: ${m}`)).toEqual([
        '2: 2 alerts of this capture are already in the case from capture 1 (same host, time, rule and output): not stored again',
      ]);
      const t = time ?? '-';
      expect(storedAlerts(c.db as unknown as Database.Database)).toEqual([
        `1 ${t} Shell in container: sh by www`,
        `1 ${t} Shell in container: sh by www`,
        `1 ${t} Read shadow: cat /etc/shadow`,
        `2 ${t} Shell in container: sh by root`,
      ]);
    });
  }

  it.skipIf(!HAVE_DATASETS)('a longer export of the same alerts replaces the cut one: every alert is kept, tied as a fresh import ties it', async () => {
    const tied = (db: Database.Database): string[] =>
      (
        db
          .prepare(`SELECT a.rule, a.time_ns, a.output, e.pid, e.name, l.container_id, c.path FROM alerts a
                      JOIN captures c ON c.capture_id = a.capture_id
                      LEFT JOIN execs e ON e.exec_id = a.exec_id LEFT JOIN alert_links l ON l.alert_id = a.alert_id`)
          .safeIntegers()
          .raw(true)
          .all() as unknown[][]
      )
        .map((r) => r.join(' | '))
        .sort();
    const whole = readFileSync(sample('falco-doc-samples/falco-website-alerts.jsonl'), 'utf8');
    const lines = whole.split('\n').filter(Boolean);
    c = newCase();
    const cut = c.path('alerts-cut.jsonl');
    const full = c.path('alerts.jsonl');
    writeFileSync(cut, `${lines.slice(0, 8).join('\n')}\n`);
    writeFileSync(full, whole);
    await c.import(cut);
    const longer = await c.import(full);
    expect(longer.outcome).toMatch(/^extends capture \d+$/);
    // The cut export's alerts move to the longer one: nothing was left out, so nothing is said.
    expect(c.db.prepare("SELECT count(*) FROM capture_warnings WHERE message LIKE '%alerts of this capture are already%'").pluck().get()).toBe(0n);
    const fresh = newCase();
    try {
      await fresh.import(full);
      const expected = tied(fresh.db as unknown as Database.Database);
      expect(expected).toHaveLength(lines.length);
      expect(tied(c.db as unknown as Database.Database)).toEqual(expected);
    } finally {
      fresh.close();
    }
  });
});

describe('a case from before schema 010', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  /** The rows a fresh import holds, in a case that has only the migrations before 010 (no output_key). */
  function version9Case(path: string, fresh: string): void {
    oldCaseFrom(path, fresh, '010', tmp.path('.'));
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM pragma_table_info(?) WHERE name = ?').pluck().get('alerts', 'output_key')).toBe(0);
      expect(db.prepare('SELECT count(*) FROM alerts').pluck().get()).toBe(2);
    } finally {
      db.close();
    }
  }

  it('gets every imported alert its key on upgrade, and an overlapping export finds them', () => {
    const first = tmp.path('first.jsonl');
    const second = tmp.path('second.jsonl');
    writeFileSync(first, `${[alertLine('Shell in container', 'sh by www ñ 漢字', T), alertLine('Read shadow', 'cat /etc/shadow', T + 1n)].join('\n')}\n`);
    writeFileSync(second, `${[alertLine('Read shadow', 'cat /etc/shadow', T + 1n), alertLine('Read shadow', 'cat /etc/gshadow', T + 1n)].join('\n')}\n`);
    const fresh = tmp.path('fresh.db');
    expect(runCli(['import', '-q', first, '--db', fresh]).code).toBe(0);
    const dbPath = tmp.path('case-009.db');
    version9Case(dbPath, fresh);

    const imported = runCli(['import', '-q', second, '--db', dbPath]);
    expect(imported.code, imported.stderr).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(storedAlerts(db)).toEqual([
        `1 ${T} Shell in container: sh by www ñ 漢字`,
        `1 ${T + 1n} Read shadow: cat /etc/shadow`,
        `2 ${T + 1n} Read shadow: cat /etc/gshadow`,
      ]);
    } finally {
      db.close();
    }
  });
});

describe.skipIf(!PG_TEST_URL)('the alert key on PostgreSQL', () => {
  it('is the same number JavaScript computes, for any text', async () => {
    const texts: [string, string][] = [
      ['Terminal shell in container', 'A shell was spawned (user=root ñ 漢字 🎉)'],
      ['', ''],
      ['rule\nwith a newline', 'output'],
      ['"quoted"', "it's \\ backslashed"],
    ];
    for (const [rule, output] of texts) {
      const r = await pgQuery(PG_TEST_URL as string, `SELECT ${ALERT_KEY_PG_SQL} AS k FROM (SELECT $1::text AS rule, $2::text AS output) t`, [rule, output]);
      expect(Number(r.rows[0].k), `${rule} / ${output}`).toBe(alertKey(rule, output));
    }
  });
});
