import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';

/**
 * The options README.md promises exist, read from the help every subcommand prints: "every
 * command takes --db", "--json and --csv are for programs", and each option a command's README
 * section names.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function leaves(cmd: Command, path: string[] = [], parents: Command[] = []): { path: string; cmd: Command; parents: Command[] }[] {
  const subs = cmd.commands.filter((c) => c.name() !== 'help');
  if (subs.length === 0) return [{ path: path.join(' '), cmd, parents }];
  return subs.flatMap((c) => leaves(c, [...path, c.name()], path.length > 0 ? [...parents, cmd] : parents));
}

const program = await buildProgram();
const commands = leaves(program);
const helpOf = (cmd: Command): string => cmd.helpInformation();
const optionsIn = (text: string): Set<string> => new Set([...text.matchAll(/(?<![\w-])(--[a-z][a-z0-9-]*)/g)].map((m) => m[1] as string));

/** Commands that print rows: each takes --json and --csv. */
const ROW_COMMANDS = [
  'import',
  'captures',
  'containers',
  'ps',
  'tree',
  'ancestors',
  'descendants',
  'execs',
  'query',
  'queries list',
  'queries run',
  'fields',
  'rules check',
  'rules run',
  'chains check',
  'chains run',
];

describe('every subcommand --help', () => {
  it('finds the commands', () => {
    expect(commands.map((c) => c.path)).toEqual(expect.arrayContaining(ROW_COMMANDS));
  });

  // A subcommand may take --db from its parent (`hosts merge`), as commander passes it down.
  it.each(commands.map((c) => [c.path, c] as const))('%s takes --db', (_path, c) => {
    expect([c.cmd, ...c.parents].map(helpOf).join('\n')).toMatch(/--db <path>/);
  });

  it.each(ROW_COMMANDS)('%s takes --json and --csv', (path) => {
    const found = commands.find((c) => c.path === path);
    expect(found, path).toBeDefined();
    const options = optionsIn(helpOf(found!.cmd));
    expect(options.has('--json') && options.has('--csv'), helpOf(found!.cmd)).toBe(true);
  });
});

describe("README's options exist on the commands its sections describe", () => {
  const sections = README.split(/^### /m).slice(1);
  const described = sections.flatMap((section) => {
    const heading = section.split('\n')[0] ?? '';
    // The commands the heading names, and those the section runs as examples.
    const named = [...heading.matchAll(/`([a-z]+)[^`]*`/g), ...section.matchAll(/^\$? ?pedigree ([a-z]+)/gm)].map((m) => m[1] as string);
    const names = [...new Set(named)].filter((n) => program.commands.some((c) => c.name() === n));
    if (names.length === 0) return [];
    // Only the section's own prose and pedigree command lines (other tools' flags are theirs).
    const text = section
      .split('\n')
      .filter((l) => !/^\s*\$ (?!pedigree )/.test(l) && !/^(sqlite3|npm) /.test(l))
      .join('\n');
    return [{ heading: heading.trim(), names, options: [...optionsIn(text)] }];
  });

  it('reads the command sections', () => {
    expect(described.flatMap((d) => d.names)).toEqual(expect.arrayContaining(['import', 'ps', 'tree', 'ancestors', 'execs', 'rules', 'chains']));
  });

  it.each(described.map((d) => [d.heading, d] as const))('%s', (_heading, d) => {
    const known = new Set<string>(['--help', '--version']);
    for (const name of d.names) {
      const top = program.commands.find((c) => c.name() === name) as Command;
      for (const { cmd } of leaves(top)) for (const o of optionsIn(helpOf(cmd))) known.add(o);
    }
    const missing = d.options.filter((o) => !known.has(o));
    expect(missing, `options the README names for ${d.names.join(', ')} that no such command takes`).toEqual([]);
  });
});
