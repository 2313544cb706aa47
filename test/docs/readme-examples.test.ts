import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';
import { comparableOutput, examples, shellWords, writeOutputsTo } from './support/examples.js';

/**
 * Every `$ pedigree …` example in README.md runs on the bundled sample and prints what the README
 * shows. Commands without --db run on the case README's own import example builds
 * (samples/story.jsonl); `--db pedigree-demo.db` is the case `npm start` builds (pedigree demo).
 * A line `…` in the README stands for any number of lines. When an example drifts, the failure is
 * a line diff naming the command.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(`${ROOT}README.md`, 'utf8');

const tmp = tempDir('pedigree-readme-');
const storyDb = tmp.path('pedigree.db');
const demoDb = tmp.path('pedigree-demo.db');

beforeAll(() => {
  // As README's import example and `npm start` (pedigree demo) build them, from the checkout.
  for (const args of [
    ['import', 'samples/story.jsonl', '--db', storyDb, '-q'],
    ['demo', '--db', demoDb, '--no-tui'],
  ]) {
    const r = runCli(args, { cwd: ROOT, env: { TZ: 'UTC' } });
    if (r.code !== 0) throw new Error(r.stderr);
  }
});
afterAll(() => tmp.cleanup());

/** Commands that read no case unless given one (with --db, `rules check` adds coverage). */
const NO_CASE = ['rules check', 'chains check', 'rules explain', 'chains explain', 'fields', 'queries list'];

const all = examples(README);
const runnable = all.filter((e) => !/[<>|]/.test(e.command.replace(/'[^']*'|"[^"]*"/g, '')) && !e.command.startsWith('tui'));

describe('README examples print what README shows', () => {
  it('finds the examples', () => {
    expect(runnable.length).toBeGreaterThan(12);
  });

  it.each(runnable.map((e) => [`README.md:${e.line} pedigree ${e.command}`, e] as const))('%s', (_name, e) => {
    const words = shellWords(e.command);
    // Examples for a server or inputs the checkout does not ship, that show no output, illustrate.
    const elsewhere = words.filter(
      (w, i) => /^postgres(ql)?:\/\//.test(w) || (words[i - 1] !== '--out' && /\.(scap|gz|ya?ml|jsonl?|log|csv|txt)$/.test(w) && !existsSync(`${ROOT}${w}`)),
    );
    if (elsewhere.length > 0 || (e.environment && e.expected.length === 0)) {
      console.warn(`SKIPPED README.md:${e.line}: needs ${elsewhere.join(', ') || 'the environment its block sets'}`);
      return;
    }
    const dbAt = words.indexOf('--db');
    let args: string[];
    if (words[0] === 'import') {
      args = [...words, '--db', tmp.path(`import-${e.line}.db`)];
    } else if (dbAt >= 0) {
      args = [...words];
      args[dbAt + 1] = words[dbAt + 1] === 'pedigree-demo.db' ? demoDb : storyDb;
    } else if (NO_CASE.some((c) => e.command.startsWith(c))) {
      args = [...words];
    } else {
      args = [...words, '--db', storyDb];
    }
    // Runs that store their hits would add to the case the next example reads: keep it as it was.
    if (['run'].includes(words[1] ?? '') && ['rules', 'chains'].includes(words[0] ?? '')) args.push('--no-save');
    writeOutputsTo(args, (name) => tmp.path(name));
    const r = runCli(args, { cwd: ROOT, env: { TZ: 'UTC' } });
    const [expected, actual] = comparableOutput(e.expected, r.stdout, r.stderr, tmp.dir);
    expect(actual, `README.md:${e.line}: pedigree ${e.command} (exit ${r.code})`).toEqual(expected);
  });
});
