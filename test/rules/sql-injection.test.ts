import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule } from '../../src/rules/compile/rule-query.js';
import { quoteAlways } from '../../src/rules/condition/quoting.js';
import { loadRulesText } from '../../src/rules/loader/load-rules.js';
import { openFixtureCase, type FixtureCase } from './fixture-case.js';

/**
 * Hostile values in literals and list items (kysely sql-injection.test.ts in spirit): quotes, LIKE
 * wildcards, backslashes and NUL must reach SQL only as bound parameters, match themselves
 * exactly, and never change the statement.
 */

let fx: FixtureCase;
beforeAll(() => {
  fx = openFixtureCase();
});
afterAll(() => fx.cleanup());

function run(condition: string, extraYaml = ''): { ids: number[]; sql: string; params: unknown[] } {
  const rs = loadRulesText([
    { name: 'inj.yaml', text: `${extraYaml}- rule: t\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: x\n  priority: INFO\n` },
  ]);
  const v = compileRule(rs.rules[0]!);
  if (v.status !== 'evaluable') throw new Error(v.status === 'error' ? v.message : v.reason);
  const ids = (fx.db.prepare(v.compiled.sql).all(...v.compiled.parameters) as { exec_id: bigint }[]).map((r) => Number(r.exec_id)).sort((a, b) => a - b);
  return { ids, sql: v.compiled.sql, params: v.compiled.parameters };
}

const HOSTILE: [string, string, number[]][] = [
  // [value as stored, description, exec ids whose proc.name equals it]
  ["O'Brien", 'single quote', [12]],
  ['50%', 'percent (LIKE wildcard)', [13]],
  ['a_b', 'underscore (LIKE wildcard)', [14]],
  ['back\\slash', 'backslash', [16]],
];

describe('SQL injection: hostile literals are parameters and match only themselves', () => {
  for (const [value, what, expected] of HOSTILE) {
    const literal = quoteAlways(value).replace(/\0/g, '\\x00');

    it(`${what}: = and in (…)`, () => {
      const eq = run(`proc.name = ${literal}`);
      expect(eq.ids).toEqual(expected);
      expect(eq.params).toContain(value);
      expect(eq.sql).not.toContain(value.replace(/\0/g, ''));
      const list = run(`proc.name in (${literal}, "x'); DROP TABLE execs; --")`);
      expect(list.ids).toEqual(expected);
      expect(list.sql).not.toContain('DROP');
    });

    it(`${what}: contains / startswith / endswith / icontains / glob-free operators`, () => {
      expect(run(`proc.name contains ${literal}`).ids).toEqual(expected);
      expect(run(`proc.name startswith ${literal}`).ids).toEqual(expected);
      expect(run(`proc.name endswith ${literal}`).ids).toEqual(expected);
      expect(run(`proc.name icontains ${literal}`).ids).toEqual(expected);
      expect(run(`proc.name pmatch (${literal})`).ids).toEqual(expected);
    });
  }

  it('treats % and _ as ordinary characters (no LIKE semantics)', () => {
    expect(run('proc.name contains "_"').ids).toEqual([14]);
    expect(run('proc.name = "a_b"').ids).toEqual([14]); // not aXb (15)
    expect(run('proc.args contains "%"').ids).toEqual([13]);
    expect(run('proc.name startswith "%"').ids).toEqual([]);
  });

  it('compares strings as C strings, as Falco does: a literal ends at its first NUL', () => {
    const eq = run('proc.name = "nul\\x00byte"');
    expect(eq.params).toContain('nul');
    expect(eq.ids).toEqual([18]);
    expect(run('proc.name in ("nul\\x00", x)').ids).toEqual([18]);
    expect(run('proc.exe = "nul\\x00\' OR 1=1 --"').ids).toEqual([17, 18]);
    expect(run('proc.args startswith "a\\x00zzz"').ids).toEqual([17, 18]);
  });

  it('passes hostile list items through list expansion as parameters', () => {
    const yaml = `- list: odd_names\n  items: ['"O''Brien"', '50%', 'a_b', '"back\\\\slash"']\n`;
    const r = run('proc.name in (odd_names)', yaml);
    expect(r.ids).toEqual([12, 13, 14, 16]);
    expect(r.params).toEqual(expect.arrayContaining(["O'Brien", '50%', 'a_b', 'back\\slash']));
    expect(r.sql).not.toMatch(/O'Brien|50%|a_b|back/);
  });

  it('keeps exception values out of the SQL text', () => {
    const yaml = '';
    const rs = loadRulesText([
      {
        name: 'ex.yaml',
        text: `${yaml}- rule: t\n  desc: d\n  condition: proc.pname = bash\n  output: x\n  priority: INFO\n  exceptions:\n    - name: odd\n      fields: [proc.name]\n      values: [["O'Brien"], ["a_b"], ["nul"]]\n`,
      },
    ]);
    const v = compileRule(rs.rules[0]!);
    if (v.status !== 'evaluable') throw new Error('not evaluable');
    const ids = (fx.db.prepare(v.compiled.sql).all(...v.compiled.parameters) as { exec_id: bigint }[]).map((r) => Number(r.exec_id)).sort((a, b) => a - b);
    expect(ids).toEqual([4, 13, 15, 16, 17]);
    expect(v.compiled.sql).not.toMatch(/Brien|a_b|nul/);
  });

  it('binds field arguments (proc.env[NAME], container.mount.dest[KEY]) as parameters', () => {
    const r = run(`proc.env["X') OR 1=1 --"] exists or container.mount.dest["'; DROP TABLE execs; --"] exists`);
    expect(r.ids).toEqual([]);
    expect(r.sql).not.toMatch(/DROP|OR 1=1/);
  });
});
