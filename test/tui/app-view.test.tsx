import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { KEYS, press, waitForFrame } from './support/frames.js';
import { storyCase, type StoryCase } from './support/story-case.js';

let story: StoryCase;
let source: CaseSource;
let app: ReturnType<typeof render> | null = null;

beforeAll(async () => {
  story = storyCase();
  source = openCaseSource(story.dbPath);
});
afterEach(() => {
  app?.unmount();
  app = null;
});
afterAll(async () => {
  await source.close();
  story.cleanup();
});

function start(rows = 30): ReturnType<typeof render> {
  app = render(<App source={source} fallbackSize={{ columns: 100, rows }} />);
  return app;
}

const selectedLine = (frame: string): string => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('TUI screens (ink-testing-library frames)', () => {
  it('opens on the overview with the header, containers, alerts and footer keys', async () => {
    const { lastFrame } = start();
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    expect(frame).toContain('17 processes · 28 execs'.split(' · ')[0]);
    expect(frame).toContain('[1 Overview]');
    expect(frame).toContain('2024-11-28 13:20:00.000 → 13:20:36.728 UTC'); // the case's span, with its zone
    expect(selectedLine(frame)).toMatch(/› nginx\s+3f9a1c0e2b7d\s+8 proc\s+! 2 alerts\s+default\/nginx-test\s+docker\.io\/libr/);
    expect(frame).toContain('Warning 1 · Notice 1');
    expect(frame).toContain('Enter open the host or container tree');
  });

  it('Enter on the container shows its tree, auto-opened, with alert markers', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    const frame = await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container nginx'));
    expect(frame).toContain('[2 Tree]');
    // the title says where the cursor is among the open rows, not how many processes there are
    expect(frame).toMatch(/Tree: container nginx.* · row 1 of \d+ open/);
    expect(frame).toMatch(/› {2}\[-\] nginx 2330 running \(2\)/);
    expect(frame).toMatch(/! │  └─ \[[-+]\] sh 4001 exit 0 \(4\)/);
    expect(frame).toContain('exec ');
    expect(frame).toContain('pod       default/nginx-test');
  });

  it('the detail pane dates its times as the alert screens do: ISO 8601 UTC, or the --tz zone', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    const frame = await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container nginx'));
    expect(frame).toMatch(/image at {2}2024-11-28T13:20:\d\d\.\d{9}Z/);
    app?.unmount();
    app = render(<App source={source} fallbackSize={{ columns: 100, rows: 30 }} timeStyle={{ format: 'iso', tz: 'America/New_York' }} />);
    await waitForFrame(app.lastFrame, (f) => f.includes('Containers'));
    const zoned = await press(app.stdin, app.lastFrame, KEYS.enter, (f) => f.includes('Tree: container nginx'));
    expect(zoned).toMatch(/image at {2}2024-11-28T08:20:\d\d\.\d{9}-05:00/);
  });

  it('a newline is Enter (what a terminal sends for Enter before the TUI has switched it to raw mode)', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    const frame = await press(stdin, lastFrame, '\n', (f) => f.includes('Tree: container nginx'));
    expect(frame).toContain('[2 Tree]');
  });

  it('expands, jumps to the parent, moves between siblings and collapses all', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container'));
    let frame = await press(stdin, lastFrame, 'c', (f) => !f.includes('nginx 2351'));
    expect(selectedLine(frame)).toContain('[+] nginx 2330');
    frame = await press(stdin, lastFrame, KEYS.right, (f) => f.includes('nginx 2351'));
    frame = await press(stdin, lastFrame, `j${KEYS.right}`, (f) => f.includes('sh 4001'));
    frame = await press(stdin, lastFrame, 'j', (f) => selectedLine(f).includes('sh 4001'));
    frame = await press(stdin, lastFrame, KEYS.right, (f) => f.includes('curl 4002'));
    expect(frame).toMatch(/├─ {5}curl 4002 exit 0 {2}-s -o \/tmp\/x/);
    expect(frame).toMatch(/└─ {5}x 4005 sig 9/);
    frame = await press(stdin, lastFrame, 'j]]', (f) => selectedLine(f).includes('cat 4004'));
    expect(selectedLine(frame)).toMatch(/cat 4004 exit 1 {2}\/etc\/shadow/);
    frame = await press(stdin, lastFrame, '[', (f) => selectedLine(f).includes('wget 4003'));
    frame = await press(stdin, lastFrame, 'p', (f) => selectedLine(f).includes('sh 4001'));
    frame = await press(stdin, lastFrame, 'c', (f) => !f.includes('sh 4001'));
    expect(selectedLine(frame)).toContain('nginx 2330');
  });

  it('searches, opens the tree at each match and walks the ancestry', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container'));
    await press(stdin, lastFrame, 'c', (f) => !f.includes('sh 4001'));
    let frame = await press(stdin, lastFrame, '/shadow\r', (f) => f.includes('"shadow": match 1/'));
    // The shell's command line names /etc/shadow too: it is the first match, opened in the tree.
    expect(selectedLine(frame)).toContain('sh 4001');
    frame = await press(stdin, lastFrame, 'N', (f) => selectedLine(f).includes('cat 4004'));
    expect(frame).toMatch(/"shadow": match (\d)\/\1/); // N from the first match wraps to the last
    frame = await press(stdin, lastFrame, KEYS.tab, (f) => f.includes('Ancestry (root → self, 6 steps)'));
    expect(selectedLine(frame)).toMatch(/└ cat 4004 {2}\/etc\/shadow/);
    frame = await press(stdin, lastFrame, 'k', (f) => /›\s+└ sh 4001/.test(f));
    expect(frame).toContain('exec ' + String(story.execs.sh));
    frame = await press(stdin, lastFrame, KEYS.enter, (f) => selectedLine(f).includes('sh 4001'));
  });

  it('n moves to the next line when a process matched in two images (exec, then exec again)', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container'));
    // "wget" is in the command line of sh 4001, of sh 4003 (its fork then exec) and of wget 4003 (its second exec).
    let frame = await press(stdin, lastFrame, '/wget\r', (f) => f.includes('"wget": match 1/2'));
    expect(selectedLine(frame)).toContain('sh 4001');
    frame = await press(stdin, lastFrame, 'n', (f) => f.includes('"wget": match 2/2'));
    expect(selectedLine(frame)).toContain('wget 4003');
    expect(frame).toContain("2 of this process's images match");
    frame = await press(stdin, lastFrame, 'n', (f) => f.includes('"wget": match 1/2'));
    expect(selectedLine(frame)).toContain('sh 4001');
  });

  it('finds a pid with / and says when nothing matches', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container'));
    let frame = await press(stdin, lastFrame, '/4005\r', (f) => f.includes('"4005": match'));
    expect(selectedLine(frame)).toContain('x 4005');
    frame = await press(stdin, lastFrame, '/nosuchthing\r', (f) => f.includes('no match'));
    expect(frame).toContain('"nosuchthing": no match in container nginx 3f9a1c0e2b7d');
  });

  it('alerts: sorted by priority, filtered, Enter jumps to the process with its ancestry', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    let frame = await press(stdin, lastFrame, '3', (f) => f.includes('[3 Alerts]'));
    const lines = frame.split('\n');
    const warning = lines.findIndex((l) => l.includes('Read sensitive file untrusted'));
    const notice = lines.findIndex((l) => l.includes('Terminal shell in container'));
    expect(warning).toBeGreaterThan(-1);
    expect(warning).toBeLessThan(notice);
    // dated and zoned, as `pedigree rules run` prints alerts (ISO 8601 UTC), not a bare time of day
    expect(lines[warning]).toMatch(/Warning {3}2024-11-28T13:20:\d\d\.\d{9}Z {2}Read sensitive file untrusted/);
    frame = await press(stdin, lastFrame, 'fshell\r', (f) => f.includes('filter: shell'));
    expect(frame).not.toContain('Read sensitive file');
    frame = await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('[2 Tree]'));
    expect(frame).toMatch(/^\*! .*sh 4001/m); // the tree keeps the selection, the ancestry pane has the keys
    expect(frame).toContain('walking the ancestry');
    expect(frame).toMatch(/›\s+└ sh 4001/);
  });

  it('runs read-only SQL with a bounded, scrollable result', async () => {
    const { lastFrame, stdin } = start();
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    let frame = await press(stdin, lastFrame, ':', (f) => f.includes('sql>'));
    // The prompt starts empty (the example is in the status line), so typing is the whole query.
    expect(frame).toContain('sql> ▏');
    expect(frame).toContain('e.g. SELECT name');
    frame = await press(stdin, lastFrame, 'SELECT pid, name FROM execs ORDER BY exec_id\r', (f) => / rows/.test(f));
    expect(frame).toMatch(/\d+ rows in [\d.]+ ms/);
    expect(frame).toMatch(/pid\s+name/);
    // Focus stays in the prompt: a `q` typed next is text, not quit; Tab moves to the results.
    frame = await press(stdin, lastFrame, 'q', (f) => f.includes('ORDER BY exec_idq▏'));
    frame = await press(stdin, lastFrame, '\x7f', (f) => f.includes('ORDER BY exec_id▏'));
    frame = await press(stdin, lastFrame, KEYS.tab, (f) => !f.includes('▏'));
    expect(selectedLine(frame)).toMatch(/›\s+1\s+systemd/);
    frame = await press(stdin, lastFrame, 'j', (f) => /›\s+812\s+containerd/.test(f));
    frame = await press(stdin, lastFrame, KEYS.tab, (f) => f.includes('▏'));
    frame = await press(stdin, lastFrame, '\x15DELETE FROM alerts\r', (f) => f.includes('SQL error'));
    expect(frame).toMatch(/read-only|only statements/);
  });

  it('help lists every key, scrolls, and any other key closes it', async () => {
    const { lastFrame, stdin } = start(40);
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    let frame = await press(stdin, lastFrame, '?', (f) => f.includes('Help: every key'));
    for (const text of ['collapse all', 'next / previous sibling', 'SQL prompt']) expect(frame).toContain(text);
    frame = await press(stdin, lastFrame, KEYS.down.repeat(30), (f) => f.includes('cycle the minimum priority'));
    frame = await press(stdin, lastFrame, 'x', (f) => !f.includes('Help: every key'));
    expect(frame).toContain('Containers (');
  });

  it('fits 80×24 and follows a resize', async () => {
    const { lastFrame, stdout } = start(24);
    const frame = await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    expect(frame.split('\n').length).toBeLessThanOrEqual(23);
    Object.defineProperty(stdout, 'columns', { value: 140, configurable: true });
    stdout.emit('resize');
    const wide = await waitForFrame(lastFrame, (f) => f.split('\n').some((l) => l.length > 100));
    expect(wide).toContain('Containers');
  });
});
