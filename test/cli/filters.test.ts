import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** sysdig-style filters on the listing commands, and container selectors as people type them. */

const STORY = new URL('../../samples/story.jsonl', import.meta.url).pathname;
const tmp = tempDir();
const db = tmp.path('story.db');
const cli = (...args: string[]) => runCli([...args, '--db', db]);
const names = (csv: string, column: number): string[] =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[column] ?? '');

beforeAll(() => {
  const r = runCli(['import', STORY, '--db', db, '-q']);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => tmp.cleanup());

describe('filters', () => {
  it('ps FILTER keeps the processes whose current image matches', () => {
    expect(names(cli('ps', 'proc.pname=sh and proc.name in (curl, cat, wget)', '--csv').stdout, 7)).toEqual(['curl', 'wget', 'cat']);
    expect(names(cli('ps', 'container.id=host and proc.name=cat', '--csv').stdout, 7)).toEqual(['cat']);
  });

  it('tree FILTER keeps the matches and the ancestors that connect them', () => {
    const r = cli('tree', 'proc.name=x');
    expect(r.code, r.stderr).toBe(0);
    const labels = r.stdout
      .trim()
      .split('\n')
      .map((l) => /([^\s│├└─]+,\d+)/.exec(l)?.[1]);
    expect(labels).toEqual(['systemd,1', 'containerd-shim,2301', 'nginx,2330', 'nginx,2351', 'sh,4001', 'x,4005']);
  });

  it('descendants --pid P FILTER prunes the subtree', () => {
    const r = cli('descendants', '--pid', '4001', 'proc.name in (curl, wget)', '--csv');
    expect(names(r.stdout, 5)).toEqual(['sh', 'curl', 'wget']);
  });

  it('lists and macros come from --rules files', () => {
    const rules = tmp.path('lists.yaml');
    writeFileSync(rules, '- list: fetchers\n  items: [curl, wget]\n- macro: fetching\n  condition: proc.name in (fetchers)\n');
    expect(names(cli('ps', 'fetching', '--rules', rules, '--csv').stdout, 7)).toEqual(['curl', 'wget']);
  });

  it('a bad filter is a usage error naming the problem; a field the case lacks says so', () => {
    const bad = cli('ps', 'proc.name = = sh');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("filter: expected a value after '='");
    const fd = cli('execs', 'fd.name=/etc/shadow');
    expect(fd.code).toBe(2);
    expect(fd.stderr).toContain('fd.name');
  });

  it('rules run and chains run scope their hits with --filter', () => {
    const rule = new URL('../../samples/rules/spawn-shell-in-container.yaml', import.meta.url).pathname;
    expect(cli('rules', 'run', rule, '--no-save', '-q', '--filter', 'container.name=nginx').stdout.trim().split('\n')).toHaveLength(1);
    expect(cli('rules', 'run', rule, '--no-save', '-q', '--filter', 'container.id=host').stdout).toBe('');
    const all = cli('chains', 'run', '--no-save', '-q', '--csv').stdout;
    const scoped = cli('chains', 'run', '--no-save', '-q', '--csv', '--filter', 'proc.name != curl').stdout;
    expect(new Set(names(all, 2)).size).toBe(2);
    expect(new Set(names(scoped, 2))).toEqual(new Set(["Credential files read by a service's shell"]));
  });
});

describe('container selectors', () => {
  const count = (container: string): number => cli('ps', '--container', container, '--csv').stdout.trim().split('\n').length - 1;
  it.each(['3f9a1c0e2b7d', 'nginx', '3F9A1C', '3f9a', '3f9a1c0e2b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7'])(
    '%s selects the nginx container',
    (sel) => {
      expect(count(sel)).toBe(8);
    },
  );

  it('an unknown container is an error, not an empty table', () => {
    const r = cli('ps', '--container', 'redis');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no container 'redis'");
    expect(cli('tree', '--container', 'ffff').code).toBe(2);
  });

  it('tree --container takes a name too', () => {
    expect(cli('tree', '--container', 'nginx').stdout).toBe(cli('tree', '--container', '3f9a1c0e2b7d').stdout);
  });
});
