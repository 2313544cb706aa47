import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/app.js';
import { openCaseSource, type CaseSource } from '../../src/tui/data/case-source.js';
import { addStoryChains, type StoryChains } from './support/chain-case.js';
import { KEYS, press, waitForFrame } from './support/frames.js';
import { storyCase, type StoryCase } from './support/story-case.js';

/** `R` writes the HTML report of what is selected (a chain match, a container, a host) and says where. */

let story: StoryCase;
let chains: StoryChains;
let source: CaseSource;
let reportDir: string;
let app: ReturnType<typeof render> | null = null;

beforeAll(() => {
  story = storyCase();
  chains = addStoryChains(story.dbPath);
  reportDir = mkdtempSync(join(tmpdir(), 'pedigree-tui-report-'));
  source = openCaseSource(story.dbPath, { reportDir });
});
afterEach(() => {
  app?.unmount();
  app = null;
});
afterAll(async () => {
  await source.close();
  story.cleanup();
  rmSync(reportDir, { recursive: true, force: true });
});

const articles = (html: string): string[] => [...html.matchAll(/<article class="finding" id="([^"]+)"/g)].map((m) => m[1] ?? '');

describe('report key', () => {
  it('on the chains screen writes the selected match only, with its steps highlighted', async () => {
    app = render(<App source={source} fallbackSize={{ columns: 140, rows: 30 }} />);
    const { lastFrame, stdin } = app;
    await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    await press(stdin, lastFrame, '4', (f) => f.includes('[4 Chains]'));
    const frame = await press(stdin, lastFrame, KEYS.down, (f) => f.includes('› 2024-11-28T13:20:16.425'));
    expect(frame).toContain('Web service shell fetches');
    const done = await press(stdin, lastFrame, 'R', (f) => f.includes('report written to'));
    const path = join(reportDir, `pedigree-report-chain-${chains.payload}.html`);
    expect(done.replace(/\s+/g, ' ')).toContain(`report written to ${path.slice(0, 40)}`);
    expect(existsSync(path)).toBe(true);
    const html = readFileSync(path, 'utf8');
    expect(articles(html)).toEqual([`chain-${chains.payload}`]);
    expect([...html.matchAll(/data-steps="([^"]+)"/g)].map((m) => m[1])).toEqual(['shell', 'fetch', 'run']);
  });

  it('on the overview writes the selected container’s report', async () => {
    app = render(<App source={source} fallbackSize={{ columns: 140, rows: 30 }} />);
    const { lastFrame, stdin } = app;
    const first = await waitForFrame(lastFrame, (f) => f.includes('Containers'));
    // Move down until the container line is selected.
    let frame = first;
    for (let i = 0; i < 12 && !/› +nginx/.test(frame); i++) frame = await press(stdin, lastFrame, KEYS.down, () => true);
    expect(frame).toMatch(/› +nginx/);
    await press(stdin, lastFrame, 'R', (f) => f.includes('report written to'));
    const html = readFileSync(join(reportDir, 'pedigree-report-container-3f9a1c0e2b7d.html'), 'utf8');
    expect(html).toContain('filters: container 3f9a1c0e2b7d');
    // The host-only chain match (bash reads /etc/hostname) is outside the container.
    expect(articles(html)).not.toContain(`chain-${chains.hostRead}`);
    expect(articles(html)).toContain(`chain-${chains.payload}`);
  });
});
