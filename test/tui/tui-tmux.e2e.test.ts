import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession, selectedLine } from './support/tmux-driver.js';
import { ROOT, storyCase, type StoryCase } from './support/story-case.js';

let story: StoryCase;
let tmux: TmuxSession | null = null;

beforeAll(() => {
  story = storyCase();
});
afterAll(() => {
  tmux?.kill();
  story.cleanup();
});

describe('pedigree tui in a real terminal (tmux)', () => {
  it('opens the nginx container, finds cat, shows its ancestry, jumps from an alert, quits', async () => {
    const bin = join(ROOT, 'bin', 'pedigree.js');
    tmux = new TmuxSession(`node ${bin} tui --db ${story.dbPath}`, { columns: 100, rows: 30 });

    // Overview, the nginx container preselected.
    let { screen } = await tmux.waitFor((s) => s.includes('Containers ('), 20_000);
    expect(screen).toContain('[1 Overview]');
    expect(selectedLine(screen)).toMatch(/nginx\s+3f9a1c0e2b7d/);

    // Enter opens the container's tree.
    ({ screen } = await tmux.press(['Enter'], (s) => s.includes('Tree: container nginx 3f9a1c0e2b7d')));
    expect(screen).toMatch(/\[-\] nginx 2330 running/);
    expect(screen).toMatch(/sh 4001 exit 0 \(4\)/);

    // Search for cat: each match is opened in the tree; step to the cat process itself.
    ({ screen } = await tmux.press(['/', 'c', 'a', 't', 'Enter'], (s) => /"cat": match 1\/\d/.test(s)));
    for (let i = 0; i < 5 && !selectedLine(screen).includes('cat 4004'); i++) {
      ({ screen } = await tmux.press(['n'], (s) => /"cat": match \d/.test(s)));
    }
    expect(selectedLine(screen)).toMatch(/cat 4004 exit 1\s+\/etc\/shadow/);
    expect(screen).toContain('exepath   /usr/bin/cat');

    // Tab walks its ancestry, root first, the exec itself selected.
    ({ screen } = await tmux.press(['Tab'], (s) => s.includes('walking the ancestry')));
    const chain = screen.slice(screen.indexOf('Ancestry (root → self'));
    expect(chain).toMatch(/systemd 1[\s\S]*containerd-shim 2301[\s\S]*nginx 2330[\s\S]*nginx 2351[\s\S]*sh 4001[\s\S]*cat 4004/);
    expect(screen).toMatch(/^›\s+└ cat 4004/m);

    // An alert on the shell: Enter on it in the alerts view opens the shell with its ancestry.
    // (Escape on its own: Escape then a key in one burst reads as Alt+key.)
    ({ screen } = await tmux.press(['Escape'], (s) => s.includes('Tab walks the ancestry')));
    ({ screen } = await tmux.press(['3'], (s) => s.includes('[3 Alerts]')));
    ({ screen } = await tmux.press(['Down'], (s) => /^› Notice .*Terminal shell in container/m.test(s)));
    ({ screen } = await tmux.press(['Enter'], (s) => s.includes('[2 Tree]') && s.includes('walking the ancestry')));
    expect(screen).toMatch(/^\*! .*sh 4001/m);
    expect(screen).toMatch(/^›\s+└ sh 4001/m);

    // q quits and leaves the shell's screen as it was.
    ({ screen } = await tmux.press(['q'], (s) => s.includes('[exited 0]')));
    expect(screen).not.toContain('[2 Tree]');
  });
});
