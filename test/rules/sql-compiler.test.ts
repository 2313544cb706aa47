import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRule, type CompiledRule } from '../../src/rules/compile/rule-query.js';
import { loadRulesText } from '../../src/rules/loader/load-rules.js';
import { openFixtureCase, type FixtureCase } from './fixture-case.js';

/** Compiler tests: the SQL text and parameters, and the rows that SQL returns on a fixture case. */

let fx: FixtureCase;
beforeAll(() => {
  fx = openFixtureCase();
});
afterAll(() => fx.cleanup());

function compile(condition: string, output = 'x'): CompiledRule {
  const rs = loadRulesText([
    {
      name: 't.yaml',
      text: `- rule: t\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: ${JSON.stringify(output)}\n  priority: INFO\n`,
    },
  ]);
  const v = compileRule(rs.rules[0]!);
  if (v.status !== 'evaluable') throw new Error(`${v.status}: ${v.status === 'error' ? v.message : v.reason}`);
  return v.compiled;
}

function hits(condition: string): number[] {
  const c = compile(condition);
  return (fx.db.prepare(c.sql).all(...c.parameters) as { exec_id: bigint }[]).map((r) => Number(r.exec_id)).sort((a, b) => a - b);
}

const HOST_SHELL_KIDS = [3, 4, 12, 13, 14, 15, 16, 17, 18];
const CONTAINER_ROWS = [7, 8, 9, 10, 11];

describe('SQL compiler: SQL text and parameters', () => {
  it('writes one SELECT with bound parameters and only the joins it needs', () => {
    const c = compile('evt.type in (execve, execveat) and container.id != host and proc.name in (bash, sh) and not proc.pname in (sh)', '%proc.name');
    expect(c.sql).toBe(
      [
        'SELECT e.exec_id AS exec_id, e.ts_ns AS ts_ns, e.evt_num AS evt_num, e.host_id AS host_id, e.name AS o0',
        'FROM execs e',
        'LEFT JOIN execs a1 ON a1.host_id = e.host_id AND a1.exec_id = e.parent_exec_id',
        'WHERE e.kind = ?',
        "  AND (e.evt_type IN (?, ?) AND COALESCE(e.container_id, 'host') <> ? AND e.name IN (?, ?) AND (NOT COALESCE(a1.name IN (?), FALSE)))",
      ].join('\n'),
    );
    expect(c.parameters).toEqual(['exec', 'execve', 'execveat', 'host', 'bash', 'sh', 'sh']);
    expect(c.eventTypes).toEqual(['execve', 'execveat']);
    expect(hits('evt.type in (execve, execveat) and container.id != host and proc.name in (bash, sh) and not proc.pname in (sh)')).toEqual([7]);
  });

  it('types literals by the field: numbers as integers, bools as 1/0', () => {
    const c = compile('evt.type = execve and proc.tty != 0 and container.privileged = true');
    expect(c.sql).toContain('WHERE (e.kind = ? AND e.evt_type IN (?))');
    expect(c.sql).toContain('e.tty <> ?');
    expect(c.sql).toContain('c.privileged = ?');
    expect(c.parameters).toEqual(['exec', 'execve', 'execve', 0n, 1n]);
  });

  it('walks ancestors from the row for bare proc.aname, to any depth (bounded by the largest id), never over the whole table', () => {
    const c = compile('evt.type = execve and proc.aname = sshd');
    expect(c.sql).toContain(
      'EXISTS (WITH RECURSIVE anc1(exec_id, parent_exec_id, name, depth) AS (SELECT anc1_step.exec_id, anc1_step.parent_exec_id, anc1_step.name, 1 FROM execs anc1_step WHERE anc1_step.host_id = e.host_id AND anc1_step.exec_id = e.parent_exec_id UNION ALL SELECT anc1_step.exec_id, anc1_step.parent_exec_id, anc1_step.name, anc1.depth + 1 FROM anc1 JOIN execs anc1_step ON anc1_step.host_id = e.host_id AND anc1_step.exec_id = anc1.parent_exec_id WHERE anc1.depth < (SELECT max(exec_id) + 1 FROM exec_rows)) SELECT 1 FROM anc1 WHERE anc1.name = ?)',
    );
    expect(c.parameters).toEqual(['exec', 'execve', 'execve', 'sshd']);
  });

  it('finds a deep proc.aname[N] by a walk joined once, not by N joins', () => {
    const c = compile('proc.aname[64] = systemd');
    expect(c.sql).toContain(
      'LEFT JOIN execs a64 ON a64.host_id = e.host_id AND a64.exec_id = (WITH RECURSIVE anc_up64(exec_id, depth) AS (SELECT e.parent_exec_id, 1 UNION ALL SELECT r.parent_exec_id, anc_up64.depth + 1 FROM anc_up64 JOIN exec_rows r ON r.host_id = e.host_id AND r.exec_id = anc_up64.exec_id WHERE anc_up64.depth < 64) SELECT exec_id FROM anc_up64 WHERE depth = 64)',
    );
    expect(c.sql).not.toContain('a63');
  });

  it('joins N parent steps for proc.aname[N]', () => {
    const c = compile('proc.aname[3] = systemd');
    expect(c.sql).toContain('LEFT JOIN execs a3 ON a3.host_id = e.host_id AND a3.exec_id = a2.parent_exec_id');
    expect(c.sql).toContain('a3.name = ?');
  });

  it('orders "and" operands cheapest first (column tests before joins before ancestor walks)', () => {
    const c = compile('proc.aname = sshd and proc.pname = bash and proc.name = ls');
    const where = c.sql.slice(c.sql.indexOf('AND ('));
    expect(where.indexOf('e.name = ?')).toBeLessThan(where.indexOf('a1.name = ?'));
    expect(where.indexOf('a1.name = ?')).toBeLessThan(where.indexOf('EXISTS'));
  });

  it('uses registered functions for glob, pmatch and regex', () => {
    expect(compile('proc.exe glob "/tmp/*"').sql).toContain('falco_glob(?, e.exe)');
    expect(compile('proc.exe iglob "/tmp/*"').sql).toContain('falco_glob(?, e.exe, 1)');
    const p = compile('proc.exe pmatch (/tmp, /dev/shm)');
    expect(p.sql).toContain('falco_pmatch(e.exe, ?)');
    expect(p.parameters).toContain('["/tmp","/dev/shm"]');
    expect(compile('proc.exe regex "a.*"').sql).toContain('falco_regex(?, e.exe)');
  });
});

describe('SQL compiler: rows returned (Falco semantics)', () => {
  const CASES: [string, number[]][] = [
    // event types: exec rows for execve/execveat, fork rows for clone; no evt.type = both
    ['proc.name = sh', [7, 9, 11]],
    ['evt.type in (execve, execveat) and proc.name = sh', [7, 9]],
    ['evt.type = execveat', [10]],
    ['evt.type = clone and proc.name = sh', [11]],
    ['evt.type != execve and evt.type != clone and proc.name = python3', [10]],
    ['evt.num = 0', []],
    ['evt.num = 0 and proc.name = sh', []],
    // parents and ancestors, missing values
    ['proc.pname = sh', [8, 9, 10, 11]],
    ['proc.pname != sh', [3, 4, 7, 12, 13, 14, 15, 16, 17, 18]],
    ['proc.aname[3] != nothing and proc.name = bash', []],
    ['not proc.aname[3] = nothing and proc.name = bash', [3]],
    ['not proc.aname[3] exists and evt.type = execve', [3]],
    ['proc.aname[2] = nginx', [8, 9, 10, 11]],
    ['proc.aname[0] = curl', [8]],
    ['proc.aname = sshd', HOST_SHELL_KIDS],
    ['proc.aname = nginx', CONTAINER_ROWS],
    ['proc.aname in (containerd-shim) and proc.name = curl', [8]],
    ['not proc.aname in (sshd)', CONTAINER_ROWS],
    ['proc.apid = 2001', CONTAINER_ROWS],
    ['proc.aexepath = /usr/sbin/nginx and proc.aname[1] = sh', [8, 9, 10, 11]],
    ['tolower(proc.aname) = CONTAINERD-SHIM', []],
    ['toupper(proc.aname) = CONTAINERD-SHIM and proc.name = curl', [8]],
    // string operators, case rules
    ['proc.cmdline contains "curl http"', [7, 9, 11]],
    ['proc.name icontains CURL', [8]],
    ['proc.name contains CURL', []],
    ['proc.exepath startswith /usr/bin/', [3, 4, 8, 10]],
    ['proc.exepath endswith /sh', [7, 9]],
    ['proc.args startswith ""', [3, 4, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]],
    ['proc.exepath glob "/usr/bin/*"', [3, 4, 8, 10]],
    ['proc.exepath glob "/usr/bin/python3.[0-9]*"', [10]],
    ['proc.exepath glob "/usr/bin/[!bc]*"', [4, 10]],
    ['proc.exepath iglob "/USR/BIN/L?"', [4]],
    ['proc.exepath pmatch (/usr)', [3, 4, 8, 10]],
    ['proc.exepath pmatch (/usr/b)', []],
    ['proc.exepath pmatch (/usr/*/curl, /bin/)', [7, 8, 9]],
    ['proc.name regex "py(thon)?3"', [10]],
    ['proc.name regex "ytho"', []],
    // list operators and modifiers
    ['proc.name in (ls, curl)', [4, 8]],
    ['proc.name intersects (ls, curl)', [4, 8]],
    ['proc.name in ()', []],
    ['not proc.name in () and evt.type = execveat', [10]],
    ['proc.name = anyof (ls, curl)', [4, 8]],
    ['proc.exepath startswith allof (/usr, /usr/bin/c)', [8]],
    ['proc.exepath startswith oneof (/usr, /usr/bin/c)', [3, 4, 10]],
    // env, numbers, bools, results
    ['proc.env[HTTP_PROXY] startswith http://', [8]],
    ['proc.env contains "HTTP_PROXY="', [8]],
    ['proc.env[NOT_SET] exists', []],
    ['proc.tty != 0', [3, 4]],
    ['proc.tty = 34816 and proc.name = ls', [4]],
    ['proc.vpid = 1', [10]],
    ['evt.rawres < 0', [9]],
    ['evt.failed = true', [9]],
    ['evt.res = ENOENT', [9]],
    ['user.name = alice and proc.name = ls', [4]],
    // containers
    ['container.id = host', HOST_SHELL_KIDS],
    ['container.id != host', CONTAINER_ROWS],
    ['container.privileged = true', [10]],
    ['container.privileged = false', [7, 8, 9, 11]],
    ['not container.image.repository in (docker.io/library/nginx) and evt.type = execve', HOST_SHELL_KIDS],
    ['container.mount.dest[/var/run/docker.sock] exists', [7, 8, 9, 11]],
    ['container.mount.dest[/etc] exists', []],
    ['k8s.ns.name = default and proc.name = curl', [8]],
    // transformers and field comparisons
    ['proc.name = val(proc.pname)', [9, 11]],
    ['proc.name != val(proc.pname) and proc.pname = sh', [8, 10]],
    ['len(proc.exepath) = 13', [3, 8]],
    ['basename(proc.exepath) = python3.11', [10]],
    ['tolower(proc.name) = "o\'brien"', [12]],
  ];
  for (const [condition, expected] of CASES) {
    it(`${condition} → [${expected.join(', ')}]`, () => {
      expect(hits(condition)).toEqual(expected);
    });
  }

  it('never returns snapshot rows, and keeps failed execs (Falco evaluates them)', () => {
    expect(hits('proc.name = systemd or proc.name = nginx')).toEqual([]);
    expect(hits('evt.type = execve and proc.name = sh and evt.res != SUCCESS')).toEqual([9]);
  });
});

describe('SQL compiler: verdicts', () => {
  function verdict(condition: string): ReturnType<typeof compileRule> {
    const rs = loadRulesText([{ name: 't.yaml', text: `- rule: t\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: x\n  priority: INFO\n` }]);
    return compileRule(rs.rules[0]!);
  }

  it('reports rules the case cannot answer with the blocking field or event type', () => {
    expect(verdict('evt.type = open and fd.name = /etc/shadow')).toMatchObject({ status: 'not-evaluable', blocking: 'fd.name' });
    expect(verdict('evt.type in (open, openat) and proc.name = cat')).toMatchObject({
      status: 'not-evaluable',
      blocking: 'evt.type',
      reason: expect.stringMatching(/needs open, openat events/),
    });
    expect(verdict('evt.type = execve and evt.arg.filename startswith /tmp')).toMatchObject({ status: 'not-evaluable', blocking: 'evt.arg.filename' });
    // the execve flags parameter is rebuilt from the exe_* columns, so rules may use it
    expect(verdict('evt.type = execve and evt.arg.flags contains EXE_WRITABLE')).toMatchObject({ status: 'evaluable' });
    expect(verdict('evt.type = execve and concat(proc.name, proc.pname) = x')).toMatchObject({ status: 'not-evaluable', blocking: 'concat()' });
  });

  it('reports type errors as errors, as Falco rejects them', () => {
    expect(verdict('proc.tty contains 1')).toMatchObject({ status: 'error', message: expect.stringMatching(/contains cannot be used on int field proc.tty/) });
    expect(verdict('proc.tty = abc')).toMatchObject({ status: 'error', message: expect.stringMatching(/not a number/) });
    expect(verdict('container.privileged = yes')).toMatchObject({ status: 'error' });
    expect(verdict('proc.name bcontains 41')).toMatchObject({ status: 'error' });
    expect(verdict('proc.name = val(proc.aname)')).toMatchObject({ status: 'error' });
    expect(verdict('proc.aname[x] = a')).toMatchObject({ status: 'error' });
  });
});
