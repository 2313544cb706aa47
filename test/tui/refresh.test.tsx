import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { runCli } from '../support/run-cli.js';
import { KEYS, press, waitForFrame } from './support/frames.js';
import { ROOT, storyCase, type StoryCase } from './support/story-case.js';

// The same story captured by sysdig: a second host (another boot of node-1) with 17 more processes.
const SECOND = join(ROOT, 'samples', 'story.scap');

let story: StoryCase | null = null;
let source: CaseSource | null = null;
let app: ReturnType<typeof render> | null = null;

afterEach(async () => {
  app?.unmount();
  await source?.close();
  story?.cleanup();
  app = null;
  source = null;
  story = null;
});

function start(watchMs: number): ReturnType<typeof render> {
  story = storyCase();
  source = openCaseSource(story.dbPath);
  app = render(<App source={source} fallbackSize={{ columns: 120, rows: 30 }} watchMs={watchMs} />);
  return app;
}

const hostLines = (frame: string): string[] => frame.split('\n').filter((l) => /^[ ›] node-1 {2}/.test(l));

describe('TUI refresh: r, and by itself when another process imports into the case', () => {
  it('an import finished by another process is picked up on its own, with a notice', async () => {
    const { lastFrame } = start(50);
    let frame = await waitForFrame(lastFrame, (f) => f.includes('17 processes · 11 execs'));
    expect(hostLines(frame)).toHaveLength(1);
    const imported = runCli(['import', SECOND, '--db', (story as StoryCase).dbPath]);
    expect(imported.code, imported.stderr).toBe(0);
    frame = await waitForFrame(lastFrame, (f) => f.includes('34 processes'));
    expect(frame).toContain('the case changed (an import finished): reloaded');
    expect(frame).toMatch(/Captures \(2\)/);
    expect(hostLines(frame).map((l) => l.trim().replace(/^› /, ''))).toEqual(['node-1  17 processes', 'node-1  17 processes']);
  });

  it('r reloads the screen shown (the tree keeps what is open and selected); nothing changes without it when not watching', async () => {
    const { lastFrame, stdin } = start(0);
    await waitForFrame(lastFrame, (f) => f.includes('17 processes'));
    await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container'));
    let frame = await press(stdin, lastFrame, '/4005\r', (f) => f.includes('"4005": match'));
    const selected = (f: string): string => f.split('\n').find((l) => l.startsWith('›')) ?? '';
    expect(selected(frame)).toContain('x 4005');
    const imported = runCli(['import', SECOND, '--db', (story as StoryCase).dbPath]);
    expect(imported.code, imported.stderr).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(lastFrame()).toContain('17 processes');
    frame = await press(stdin, lastFrame, 'r', (f) => f.includes('reloaded from the case'));
    frame = await waitForFrame(lastFrame, (f) => f.includes('34 processes'));
    expect(selected(frame)).toContain('x 4005');
    expect(frame).toContain('Tree: container nginx');
    // the container ran on the second host too: its entry point there is a new root of the open tree
    expect(frame.match(/\[[-+]\] nginx 2330 running/g)).toHaveLength(2);
    frame = await press(stdin, lastFrame, '1', (f) => f.includes('[1 Overview]'));
    expect(hostLines(frame)).toHaveLength(2);
  });
});
