import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { comparableOutput, examples, shellWords, type Example, writeOutputsTo } from './support/examples.js';

/**
 * Every example command in docs/*.md runs on the bundled sample (and the datasets in ../shared
 * the format pages import) and prints what the page shows; an example shown without output must
 * succeed. Each page works on cases of its own, in order: `--db NAME` is a scratch file NAME for
 * that page (`pedigree-demo.db` starts as the case `pedigree demo` builds, `case.db` as the
 * same demo case), and a command without --db uses the page's ./pedigree.db, which starts empty.
 * A line `…` in the page stands for any number of lines. Examples the checkout cannot run are
 * listed below with the reason; an entry that no longer names an example fails the test.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = `${ROOT}docs/`;

/** Examples the checkout cannot run: the page, the start of the command, and why. */
const SKIPPED: { page: string; command: string; reason: string }[] = [
  { page: 'chains.md', command: 'chains check FILE...', reason: 'a synopsis: FILE... stands for chain rules files' },
  { page: 'chains.md', command: 'chains run FILE...', reason: 'a synopsis: FILE... stands for chain rules files, [--db case.db] for an optional option' },
  { page: 'chains.md', command: 'chains explain FILE...', reason: 'a synopsis: FILE... and NAME stand for a rules file and a chain' },
  {
    page: 'conformance.md',
    command: "execs -p '*%evt.num",
    reason: 'the -p format of the conformance runs, shown as a template (literal \\t) over a capture imported elsewhere',
  },
  { page: 'formats.md', command: 'import edr-export.csv', reason: 'edr-export.csv stands for an EDR export the checkout does not ship' },
  { page: 'report.md', command: 'rules run rules.yaml', reason: 'rules.yaml stands for the reader’s own rules file' },
  { page: 'report.md', command: 'report --db case.db --out incident.html [--pdf', reason: 'a synopsis: [--pdf incident.pdf] is an optional option' },
  {
    page: 'rules.md',
    command: 'rules check falco_rules.yaml',
    reason: 'the upstream Falco rules files, named as a user keeps them (not shipped with the checkout)',
  },
  { page: 'rules.md', command: 'rules run falco_rules.yaml', reason: 'the upstream Falco rules file falco_rules.yaml (not shipped with the checkout)' },
  { page: 'rules.md', command: 'rules explain --rule', reason: 'the upstream Falco rules file falco_rules.yaml (not shipped with the checkout)' },
  { page: 'scale-out.md', command: 'copy --from laptop.db', reason: 'a PostgreSQL server: the block sets PEDIGREE_DB to one (test/postgres covers copy)' },
  { page: 'scale-out.md', command: 'ancestors --pid 4004 --host node-17', reason: 'a PostgreSQL server: the block sets PEDIGREE_DB to one' },
  { page: 'scale-out.md', command: 'rules run falco_rules.yaml', reason: 'a PostgreSQL server and falco_rules.yaml' },
  { page: 'scale-out.md', command: 'copy --from "$PEDIGREE_DB"', reason: 'a PostgreSQL server: the block sets PEDIGREE_DB to one' },
  { page: 'scale-out.md', command: 'copy --from first-host.db', reason: 'a PostgreSQL coordinator (test/postgres covers copy and distribute)' },
  { page: 'scale-out.md', command: 'db distribute', reason: 'a Citus coordinator (test/postgres covers distribute)' },
  { page: 'tui.md', command: 'tui ', reason: 'a terminal (test/tui drives the TUI)' },
];

interface DocExample extends Example {
  page: string;
}

const pages = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .sort();
const all: DocExample[] = pages.flatMap((page) => examples(readFileSync(`${DOCS}${page}`, 'utf8'), { bare: true }).map((e) => ({ ...e, page })));
const where = (e: DocExample): string => `${e.page}:${e.line}`;
const skipOf = (e: DocExample) => SKIPPED.find((k) => k.page === e.page && e.command.startsWith(k.command));

const tmp = tempDir('pedigree-docs-');
const demoDb = tmp.path('demo.db');

beforeAll(() => {
  const r = runCli(['demo', '--db', demoDb, '--no-tui'], { cwd: ROOT, env: { TZ: 'UTC' } });
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => tmp.cleanup());

/** The scratch file a page's `--db NAME` stands for; the demo case is copied in on first use. */
function pageCase(page: string, name: string): string {
  const dir = tmp.path(page.replace(/\.md$/, ''));
  mkdirSync(dir, { recursive: true });
  const path = `${dir}/${name.replace(/[^\w.-]/g, '_')}`;
  if ((name === 'pedigree-demo.db' || name === 'case.db') && !existsSync(path)) copyFileSync(demoDb, path);
  return path;
}

describe('docs/*.md examples print what the pages show', () => {
  it('finds the examples, and every skipped one still exists', () => {
    expect(all.length).toBeGreaterThan(20);
    for (const k of SKIPPED) {
      expect(
        all.some((e) => skipOf(e) === k),
        `${k.page}: "${k.command}" is listed as skipped but names no example`,
      ).toBe(true);
    }
  });

  // In page order: the examples of a page build on each other (imports into one case).
  it.each(all.map((e) => [`${where(e)} pedigree ${e.command}`, e] as const))('%s', (_name, e) => {
    const skipped = skipOf(e);
    if (skipped) {
      console.warn(`SKIPPED docs/${where(e)} pedigree ${e.command}: ${skipped.reason}`);
      return;
    }
    const words = shellWords(e.command);
    const dbAt = words.indexOf('--db');
    const args = [...words];
    if (dbAt >= 0) args[dbAt + 1] = pageCase(e.page, words[dbAt + 1] as string);
    else args.push('--db', pageCase(e.page, 'pedigree.db'));
    writeOutputsTo(args, (name) => tmp.path(name));
    const r = runCli(args, { cwd: ROOT, env: { TZ: 'UTC' } });
    if (e.bare) {
      expect(r.code, `docs/${where(e)}: pedigree ${e.command}\n${r.stderr}`).toBe(0);
      return;
    }
    const [expected, actual] = comparableOutput(e.expected, r.stdout, r.stderr, tmp.dir);
    expect(actual, `docs/${where(e)}: pedigree ${e.command} (exit ${r.code})`).toEqual(expected);
  });
});
