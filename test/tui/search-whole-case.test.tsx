import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { runCli } from '../support/run-cli.js';
import { KEYS, press, waitForFrame } from './support/frames.js';
import { ROOT, storyCase, type StoryCase } from './support/story-case.js';

let story: StoryCase;
let source: CaseSource;

beforeAll(() => {
  story = storyCase();
  // The sysdig capture of the same story: a second host (another boot of node-1).
  const imported = runCli(['import', join(ROOT, 'samples', 'story.scap'), '--db', story.dbPath]);
  expect(imported.code, imported.stderr).toBe(0);
  source = openCaseSource(story.dbPath);
});
afterAll(async () => {
  await source.close();
  story.cleanup();
});

const selectedLine = (frame: string): string => frame.split('\n').find((l) => l.startsWith('›')) ?? '';

describe('TUI search over the whole case (Tab in the / prompt)', () => {
  it('a search the open container cannot answer finds every host with Tab, and n walks them', async () => {
    const app = render(<App source={source} fallbackSize={{ columns: 120, rows: 30 }} watchMs={0} />);
    try {
      const { lastFrame, stdin } = app;
      await waitForFrame(lastFrame, (f) => f.includes('Containers'));
      await press(stdin, lastFrame, KEYS.enter, (f) => f.includes('Tree: container'));
      let frame = await press(stdin, lastFrame, '/hostname\r', (f) => f.includes('no match'));
      expect(frame).toContain('"hostname": no match in container nginx 3f9a1c0e2b7d');
      frame = await press(stdin, lastFrame, '/', (f) => f.includes('Tab: search the whole case'));
      frame = await press(stdin, lastFrame, KEYS.tab, (f) => f.includes('pid in the whole case'));
      frame = await press(stdin, lastFrame, 'hostname\r', (f) => f.includes('"hostname": match 1/2 in the whole case'));
      // `cat /etc/hostname` ran on the host, outside the container: its host tree is opened
      expect(frame).toMatch(/Tree: host node-1/);
      expect(selectedLine(frame)).toMatch(/cat 3105 exit 0 {2}\/etc\/hostname/);
      const firstExec = /exec (\d+) · cat/.exec(frame)?.[1];
      frame = await press(stdin, lastFrame, 'n', (f) => f.includes('match 2/2 in the whole case'));
      expect(selectedLine(frame)).toMatch(/cat 3105 exit 0 {2}\/etc\/hostname/);
      const secondExec = /exec (\d+) · cat/.exec(frame)?.[1];
      expect(secondExec).toBeDefined();
      expect(secondExec).not.toBe(firstExec); // the other host's cat
      // the scope stays chosen for the next search
      frame = await press(stdin, lastFrame, '/', (f) => f.includes('pid in the whole case'));
    } finally {
      app.unmount();
    }
  });
});
