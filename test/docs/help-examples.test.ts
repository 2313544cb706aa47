import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * The examples each `--help` prints run on the bundled sample (README's story.jsonl case): an
 * example that names an exec id, pid or time the sample does not hold fails here. Examples that
 * name an input the checkout does not ship (your capture.scap, falco_rules.yaml) or pipe into
 * another program are illustrations and are listed as skipped.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function helpText(cmd: Command): string {
  let text = '';
  cmd.configureOutput({
    writeOut: (s) => {
      text += s;
    },
    writeErr: (s) => {
      text += s;
    },
  });
  cmd.outputHelp();
  return text;
}

function allCommands(cmd: Command, path: string[] = []): { path: string; cmd: Command }[] {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  return [{ path: path.join(' ') || 'pedigree', cmd }, ...subs.flatMap((c) => allCommands(c, [...path, c.name()]))];
}

function shellWords(text: string): string[] {
  return [...text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

const examples = allCommands(await buildProgram()).flatMap(({ path, cmd }) =>
  helpText(cmd)
    .split('\n')
    .filter((l) => /^\s*\$ pedigree /.test(l))
    .map((l) => ({
      path,
      line: l
        .trim()
        .slice('$ pedigree '.length)
        .replace(/\s+#.*$/, ''),
    })),
);

/** An input file the example names that the checkout does not have. */
function absentInput(words: string[]): string | undefined {
  return words.find(
    (w, i) => i > 0 && words[i - 1] !== '--db' && words[i - 1] !== '--out' && /\.(scap|gz|ya?ml|jsonl?|log|csv|txt)$/.test(w) && !existsSync(`${ROOT}${w}`),
  );
}

const tmp = tempDir('pedigree-help-');
const db = tmp.path('story.db');
beforeAll(() => {
  const r = runCli(['import', 'samples/story.jsonl', '--db', db, '-q'], { cwd: ROOT });
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => tmp.cleanup());

describe('--help examples run on the bundled sample', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThan(30);
  });

  it.each(examples.map((e) => [`${e.path}: pedigree ${e.line}`, e] as const))('%s', (_name, e) => {
    if (/[|<>]/.test(e.line.replace(/'[^']*'|"[^"]*"/g, ''))) return; // pipes into other programs
    const words = shellWords(e.line);
    const absent = absentInput(words);
    if (absent) {
      console.warn(`SKIPPED help example (${absent} is not in the checkout): pedigree ${e.line}`);
      return;
    }
    const server = words.find((w) => /^postgres(ql)?:\/\//.test(w));
    if (server) {
      console.warn(`SKIPPED help example (needs the PostgreSQL server ${server}; test/postgres covers these commands): pedigree ${e.line}`);
      return;
    }
    if (words[0] === 'tui' || words[0] === 'demo' || (words[0] === 'hosts' && words[1] === 'merge')) return; // a terminal / rewrites a case
    const args = [...words];
    const dbAt = args.indexOf('--db');
    const caseDb = words[0] === 'import' ? tmp.path(`import-${examples.indexOf(e)}.db`) : db;
    if (dbAt >= 0) args[dbAt + 1] = caseDb;
    else args.push('--db', caseDb);
    if ((words[0] === 'rules' || words[0] === 'chains') && words[1] === 'run') args.push('--no-save');
    // Files an example writes go to the scratch directory, never into the checkout.
    for (const [option, name] of [
      ['--out', 'out.html'],
      ['--pdf', 'out.pdf'],
      ['--report', 'report.html'],
    ] as const) {
      const at = args.indexOf(option);
      if (at >= 0) args[at + 1] = tmp.path(name);
    }
    const r = runCli(args, { cwd: ROOT, env: { TZ: 'UTC' } });
    expect(r.code, `pedigree ${e.line}\n${r.stderr}`).toBe(0);
  });
});
