import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { QueryCancelled } from '../../src/db/read-query-runner.js';
import { PG_TEST_URL, pgQuery, scratchPgDatabase, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { addStoryChains } from './support/chain-case.js';
import { KEYS, press, waitForFrame } from './support/frames.js';
import { ROOT, storyCase, type StoryCase } from './support/story-case.js';

warnSkippedWithoutPg('the TUI on PostgreSQL');

const SIZE = { columns: 120, rows: 30 };
/** The first screen without its first line (which names the case: a file or a URL). */
const body = (frame: string): string => frame.split('\n').slice(1).join('\n');
const counted = (f: string): boolean => / processes · [\d,]+ execs/.test(f) && f.includes('Containers') && !/node-1 {2}… processes/.test(f);

describe.skipIf(!PG_TEST_URL)('TUI on a case copied to PostgreSQL (pedigree copy)', () => {
  const pg = scratchPgDatabase({ migrated: false });
  let story: StoryCase;
  let sqlite: CaseSource;
  let onPg: CaseSource;
  beforeAll(() => {
    story = storyCase();
    addStoryChains(story.dbPath);
    const copied = runCli(['copy', '--from', story.dbPath, '--to', pg.url]);
    expect(copied.code, copied.stderr).toBe(0);
    sqlite = openCaseSource(story.dbPath);
    onPg = openCaseSource(pg.url);
  }, 120_000);
  afterAll(async () => {
    await sqlite?.close();
    await onPg?.close();
    story?.cleanup();
  });

  it('shows the same first screen as on SQLite, the URL without its password in the header', async () => {
    const a = render(<App source={sqlite} fallbackSize={SIZE} watchMs={0} />);
    const b = render(<App source={onPg} fallbackSize={SIZE} watchMs={0} />);
    try {
      const onFile = await waitForFrame(a.lastFrame, counted);
      const onServer = await waitForFrame(b.lastFrame, counted);
      expect(body(onServer)).toBe(body(onFile));
      expect(onServer.split('\n')[0]).toContain('postgres');
      expect(onServer).toContain('17 processes · 11 execs');
    } finally {
      a.unmount();
      b.unmount();
    }
  });

  it('tree, search (on the worker), alerts, chains and the SQL prompt read PostgreSQL', async () => {
    const { lastFrame, stdin, unmount } = render(<App source={onPg} fallbackSize={SIZE} watchMs={0} />);
    try {
      await waitForFrame(lastFrame, counted);
      let frame = await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container nginx'));
      expect(frame).toMatch(/\[-\] nginx 2330 running \(2\)/);
      frame = await press(stdin, lastFrame, '/shadow\r', (f) => f.includes('"shadow": match 1/3'));
      frame = await press(stdin, lastFrame, 'N', (f) => f.includes('"shadow": match 3/3'));
      expect(frame.split('\n').find((l) => l.startsWith('›'))).toContain('cat 4004');
      expect(frame).toContain('Ancestry (root → self, 6 steps)');
      frame = await press(stdin, lastFrame, '3', (f) => f.includes('Read sensitive file untrusted'));
      frame = await press(stdin, lastFrame, '4', (f) => f.includes('Chains · 2 matches by start time'));
      expect(frame).toMatch(/descendant_of shell: |nginx,2351 → sh,4001|bash,3100/);
      frame = await press(stdin, lastFrame, ':', (f) => f.includes('sql>'));
      frame = await press(stdin, lastFrame, 'SELECT name FROM execs WHERE pid = 4004\r', (f) => / rows? in /.test(f));
      expect(frame).toMatch(/^ {2}cat\s*$/m);
    } finally {
      unmount();
    }
  });

  it('user SQL with a trailing comment or semicolon runs on the server, bounded', async () => {
    const r = await onPg.runQuery('SELECT name FROM execs WHERE pid = 4004 -- the cat\n;\n', [], 10);
    expect(r.rows).toEqual([['cat']]);
    const many = await onPg.runQuery('SELECT exec_id FROM execs ORDER BY exec_id; -- every exec', [], 5);
    expect(many.rows).toHaveLength(5);
    expect(many.truncated).toBe(true);
  });

  it('Esc on a running statement stops it on the server too, not only in the TUI', async () => {
    const marker = `tui_cancel_${process.pid}_${Date.now()}`;
    const running = async (): Promise<number> =>
      Number(
        (
          await pgQuery(pg.url, "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()", [
            `%${marker}%`,
          ])
        ).rows[0].n,
      );
    const answer = onPg.runQuery(`SELECT pg_sleep(60) AS ${marker}`, [], 10).catch((err: unknown) => err);
    for (let i = 0; i < 200 && (await running()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await running()).toBe(1);
    onPg.cancelQuery();
    expect(await answer).toBeInstanceOf(QueryCancelled);
    for (let i = 0; i < 100 && (await running()) > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await running()).toBe(0);
  });

  it('stays responsive while a slow statement runs on the server: keys are answered before it ends', async () => {
    const { lastFrame, stdin, unmount } = render(<App source={onPg} fallbackSize={SIZE} watchMs={0} />);
    try {
      await waitForFrame(lastFrame, counted);
      await press(stdin, lastFrame, ':', (f) => f.includes('sql>'));
      const started = Date.now();
      await press(stdin, lastFrame, 'SELECT pg_sleep(3) AS slept\r', (f) => f.includes('running…'));
      await press(stdin, lastFrame, KEYS.tab, () => true);
      const frame = await press(stdin, lastFrame, '1', (f) => f.includes('[1 Overview]'));
      expect(Date.now() - started).toBeLessThan(2500);
      expect(frame).toContain('Containers');
    } finally {
      unmount();
    }
  });

  // Last: it adds a capture to the case the tests above read.
  it('picks up an import another process commits to the PostgreSQL case, with the notice', async () => {
    const { lastFrame, unmount } = render(<App source={onPg} fallbackSize={SIZE} watchMs={100} />);
    try {
      await waitForFrame(lastFrame, (f) => counted(f) && f.includes('17 processes'));
      const imported = runCli(['import', join(ROOT, 'samples', 'story.scap'), '--db', pg.url]);
      expect(imported.code, imported.stderr).toBe(0);
      const frame = await waitForFrame(lastFrame, (f) => f.includes('34 processes'));
      expect(frame).toContain('the case changed (an import finished): reloaded');
      expect(frame).toMatch(/Captures \(2\)/);
    } finally {
      unmount();
    }
  });
});
