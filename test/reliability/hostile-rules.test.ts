import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globMatch } from '../../src/util/match/glob.js';
import { nestedRepetition } from '../../src/util/match/regex-bound.js';
import { tempDir } from '../support/temp-case.js';
import { cli, integrityCheck, SEED_RULES, STORY_JSONL } from './support.js';

const GLOB_BOMB = '*a*a*a*a*a*a*a*a*a*a*a*a*a*b';

/** Rules written to take the run down: too large for SQLite, exponential matching. */
function hostileRules(): string {
  const ors = Array.from({ length: 20_000 }, (_v, i) => `proc.name = "x${i}"`).join(' or ');
  const items = Array.from({ length: 100_000 }, (_v, i) => `i${i}`).join(', ');
  const rule = (name: string, condition: string): string =>
    `\n- rule: ${name}\n  desc: hostile\n  condition: ${condition}\n  output: "${name} %proc.name"\n  priority: WARNING\n`;
  return (
    `${readFileSync(SEED_RULES, 'utf8')}\n- list: huge_list\n  items: [${items}, sh]\n` +
    rule('Huge or', `evt.type = execve and (${ors})`) +
    rule('Huge list', 'evt.type = execve and proc.name in (huge_list)') +
    rule('Deep not', `evt.type = execve and ${'not '.repeat(999)}proc.name = "zz"`) +
    rule('Glob bomb', `evt.type = execve and proc.cmdline glob "${GLOB_BOMB}"`) +
    rule('Regex bomb', 'evt.type = execve and proc.cmdline regex "(a+)+b"')
  );
}

describe('hostile rules', () => {
  const tmp = tempDir('pedigree-hostile-rules-');
  const db = tmp.path('case.db');
  const rules = tmp.path('hostile.yaml');

  beforeAll(async () => {
    writeFileSync(rules, hostileRules());
    expect((await cli(['import', STORY_JSONL, '--db', db, '-q'])).code).toBe(0);
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('rules check says what SQLite would refuse is not evaluable, and why', async () => {
    const r = await cli(['rules', 'check', rules, '--json']);
    const verdicts = new Map((JSON.parse(r.stdout) as { rule: string; verdict: string; detail: string }[]).map((v) => [v.rule, v]));
    expect(verdicts.get('Huge or')).toMatchObject({
      verdict: 'not-evaluable',
      detail: expect.stringMatching(/^size: too large for SQLite \(Expression tree is too large/),
    });
    expect(verdicts.get('Deep not')).toMatchObject({ verdict: 'not-evaluable', detail: expect.stringContaining('too large for SQLite') });
    // A 100,000-item list is bound as one JSON array, so SQLite takes it.
    expect(verdicts.get('Huge list')).toMatchObject({ verdict: 'evaluable' });
    expect(verdicts.get('Glob bomb')).toMatchObject({ verdict: 'evaluable' });
  }, 120_000);

  it('rules run reports the failing rule, runs and prints the others, and says so in its exit code', async () => {
    const started = Date.now();
    const r = await cli(['rules', 'run', rules, '--db', db, '--json']);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(65);
    expect(r.stderr).toMatch(/rule 'Regex bomb' failed: regular expression refused: .*exponential/);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { rule: string }).rule);
    expect(alerts).toContain('Spawn Shell in Container');
    expect(alerts.filter((a) => a === 'Huge list').length).toBeGreaterThan(0); // every sh exec
    expect(integrityCheck(db)).toBe('ok');
  }, 120_000);

  it('glob matching takes linear-bounded time on patterns that backtrack as regular expressions', () => {
    const value = 'a'.repeat(20_000);
    const started = performance.now();
    expect(globMatch(GLOB_BOMB, value)).toBe(false);
    expect(globMatch(GLOB_BOMB, `${value}b`)).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
    // fnmatch semantics kept: classes, escapes, case folding, stars that span "/".
    expect(globMatch('/usr/*/[!a-c]?sh', '/usr/local/bin/dash')).toBe(true);
    expect(globMatch('\\*x', '*x')).toBe(true);
    expect(globMatch('\\*x', 'ax')).toBe(false);
    expect(globMatch('*.SH', 'run.sh', true)).toBe(true);
    expect(globMatch('[[:digit:]]*', '7z')).toBe(true);
    expect(globMatch('a*b*c', 'abxbxc')).toBe(true);
    expect(globMatch('a*b*c', 'abxbxcd')).toBe(false);
  });

  it('refuses regular expressions whose nested repetition can take exponential time, and only those', () => {
    for (const bad of ['(a+)+b', '(a|aa)*c', '(\\w*)*x', '((ab)+)+', '(x+x+)+y', '(a|b){2,}c']) expect(nestedRepetition(bad)).not.toBeNull();
    for (const ok of ['a+b', '(ab)+', '(a|b)c', '^/usr/(s?bin)/.*$', '[(+)]+', '(a+)?b', '\\(a+\\)+']) expect(nestedRepetition(ok)).toBeNull();
  });
});
