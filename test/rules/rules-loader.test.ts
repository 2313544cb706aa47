import { describe, expect, it } from 'vitest';
import { printCondition } from '../../src/rules/condition/printer.js';
import { loadRulesText, type LoadedRuleset } from '../../src/rules/loader/load-rules.js';
import { RulesLoadError } from '../../src/rules/loader/load-result.js';

/** Loader tests on inline YAML, asserting the expanded condition (falco test_rule_loader.cpp style). */

function load(...texts: string[]): LoadedRuleset {
  return loadRulesText(texts.map((text, i) => ({ name: `rules${i + 1}.yaml`, text })));
}

function expanded(rs: LoadedRuleset, name: string): string {
  const r = rs.rules.find((x) => x.def.name === name);
  if (!r) throw new Error(`no rule ${name}`);
  return printCondition(r.ast);
}

function loadError(...texts: string[]): RulesLoadError {
  try {
    load(...texts);
  } catch (err) {
    if (err instanceof RulesLoadError) return err;
    throw err;
  }
  throw new Error('expected the load to fail');
}

const RULE = (name: string, condition: string, extra = ''): string => `
- rule: ${name}
  desc: test rule
  condition: ${condition}
  output: "%proc.name"
  priority: WARNING
${extra}`;

describe('rules loader: lists and macros', () => {
  it('pastes list items as text even after "=", so a list used as a single value fails to parse, as in Falco', () => {
    const err = loadError(`
- list: shell_binaries
  items: [bash, sh]
${RULE('r', 'proc.pname=shell_binaries')}`);
    expect(err.errors[0]?.code).toBe('LOAD_ERR_COMPILE_CONDITION');
    expect(err.errors[0]?.context.snippet).toBe('proc.pname=bash, sh\n               ^');
  });

  it('pastes list items as text and parses the result', () => {
    const rs = load(`
- list: shell_binaries
  items: [bash, sh]
- list: empty_list
  items: []
- list: all_shells
  items: [shell_binaries, "my shell", '"(systemd)"', zsh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- macro: shell_procs
  condition: (proc.name in (all_shells, empty_list))
${RULE('r', 'spawned_process and shell_procs and not proc.pname in (empty_list)')}`);
    expect(rs.rules[0]?.condition).toBe('spawned_process and shell_procs and not proc.pname in ()');
    expect(expanded(rs, 'r')).toBe('evt.type in (execve, execveat) and proc.name in (bash, sh, "my shell", "(systemd)", zsh) and not proc.pname in ()');
  });

  it('lets a macro see only macros defined before it, and rules see every macro', () => {
    const err = loadError(`
- macro: a
  condition: b and proc.name = x
- macro: b
  condition: proc.pname = y
${RULE('r', 'a')}`);
    expect(err.errors[0]).toMatchObject({
      code: 'LOAD_ERR_COMPILE_CONDITION',
      context: { file: 'rules1.yaml', line: 3, column: 14, itemType: 'macro', itemName: 'a' },
    });
    expect(err.errors[0]?.message).toMatch(/undefined macro 'b'.*defined after 'a'/);

    const rs = load(`
${RULE('r', 'late_macro and proc.name = x')}
- macro: late_macro
  condition: proc.pname = y`);
    expect(expanded(rs, 'r')).toBe('proc.pname = y and proc.name = x');
  });

  it('reports an undefined macro with the rule position', () => {
    const err = loadError(RULE('r', 'nope and proc.name = x'));
    expect(err.errors[0]).toMatchObject({ code: 'LOAD_ERR_COMPILE_CONDITION', context: { line: 4, column: 14, itemType: 'rule', itemName: 'r' } });
    expect(err.errors[0]?.message).toMatch(/undefined macro 'nope'/);
    expect(err.message).toContain('rules1.yaml:4:14');
  });

  it('uses the last definition of a redefined list or macro for every rule (global, order-dependent)', () => {
    const rs = load(
      `
- list: pkg
  items: [apt, uv]
- macro: m
  condition: proc.name in (pkg)
${RULE('first', 'm')}`,
      `
- list: pkg
  items: [apt]
${RULE('second', 'm and user.name = root')}`,
    );
    expect(expanded(rs, 'first')).toBe('proc.name in (apt)');
    expect(expanded(rs, 'second')).toBe('proc.name in (apt) and user.name = root');
  });

  it('reports a syntax error with a snippet and a caret', () => {
    const err = loadError(RULE('bad', 'proc.name = x and and'));
    const e = err.errors[0];
    expect(e?.code).toBe('LOAD_ERR_COMPILE_CONDITION');
    expect(e?.context).toMatchObject({ file: 'rules1.yaml', line: 4, column: 14 });
    expect(e?.message).toMatch(/rule 'bad': cannot parse condition/);
    expect(e?.context.snippet).toBe('proc.name = x and and\n                  ^');
  });
});

describe('rules loader: append and override', () => {
  const BASE = `
- list: l
  items: [a]
- macro: m
  condition: proc.name = x
${RULE('r', 'm', '  tags: [t1]\n')}`;

  it('appends and replaces list items, macro and rule conditions, outputs and tags', () => {
    const rs = load(
      BASE,
      `
- list: l
  items: [b]
  override:
    items: append
- macro: m
  condition: or proc.name = y
  override:
    condition: append
- rule: r
  condition: and proc.name in (l)
  output: "(parent=%proc.pname)"
  tags: [t2]
  override:
    condition: append
    output: append
    tags: append
`,
    );
    const r = rs.rules[0]!;
    // Appended text binds by normal precedence against the whole old text.
    expect(expanded(rs, 'r')).toBe('(proc.name = x or proc.name = y) and proc.name in (a, b)');
    expect(r.def.output).toBe('%proc.name (parent=%proc.pname)');
    expect(r.def.tags).toEqual(['t1', 't2']);
    expect(r.def.files).toEqual(['rules1.yaml', 'rules2.yaml']);

    const replaced = load(
      BASE,
      `
- macro: m
  condition: proc.name = z
  override:
    condition: replace
- rule: r
  priority: ERROR
  enabled: false
  override:
    priority: replace
    enabled: replace
`,
    );
    expect(expanded(replaced, 'r')).toBe('proc.name = z');
    expect(replaced.rules[0]?.def).toMatchObject({ priority: 'Error', enabled: false });
  });

  it('supports the legacy append: true with a deprecation warning', () => {
    const rs = load(BASE, `\n- rule: r\n  condition: and user.name = root\n  append: true\n`);
    expect(expanded(rs, 'r')).toBe('proc.name = x and user.name = root');
    expect(rs.warnings.map((w) => w.code)).toContain('LOAD_DEPRECATED_ITEM');
  });

  it('toggles a rule with a bare enabled item (deprecated form)', () => {
    const rs = load(BASE, `\n- rule: r\n  enabled: false\n`);
    expect(rs.rules[0]?.def.enabled).toBe(false);
  });

  it('rejects appending to something that does not exist, mixing forms, and unlisted keys', () => {
    expect(loadError(`\n- list: nope\n  items: [x]\n  override:\n    items: append\n`).errors[0]).toMatchObject({
      code: 'LOAD_ERR_VALIDATE',
      message: "list 'nope' has 'append' key but no list by that name already exists",
      context: { line: 2, column: 3 },
    });
    expect(loadError(BASE, `\n- rule: r\n  condition: x\n  append: true\n  override:\n    condition: append\n`).errors[0]?.message).toMatch(
      /cannot be used together/,
    );
    expect(loadError(BASE, `\n- rule: r\n  condition: and x\n  desc: new\n  override:\n    condition: append\n`).errors[0]?.message).toMatch(
      /'desc' is defined but has no override mode/,
    );
    expect(loadError(BASE, `\n- rule: r\n  priority: ERROR\n  override:\n    priority: append\n`).errors[0]?.message).toMatch(/cannot be appended to/);
  });

  it('redefines a rule in place (keeps its position) when it is defined again', () => {
    const rs = load(`${RULE('a', 'proc.name = a')}${RULE('b', 'proc.name = b')}${RULE('a', 'proc.name = a2')}`);
    expect(rs.rules.map((r) => [r.def.name, printCondition(r.ast)])).toEqual([
      ['a', 'proc.name = a2'],
      ['b', 'proc.name = b'],
    ]);
  });
});

describe('rules loader: exceptions', () => {
  it('turns exceptions into "and not" clauses the way Falco does', () => {
    const rs = load(`
- list: known_parents
  items: [cron, "my daemon"]
- rule: r
  desc: d
  condition: proc.name = sh
  output: "%proc.name"
  priority: NOTICE
  exceptions:
    - name: by_parent_and_user
      fields: [proc.pname, user.name]
      comps: [in, =]
      values:
        - [known_parents, root]
        - [[sshd, "login shell"], "nobody here"]
    - name: by_cmdline
      fields: proc.cmdline
      comps: startswith
      values: []
    - name: by_exe
      fields: proc.exe
      comps: pmatch
      values: [/usr/bin, /opt/x y]
    - name: by_args
      fields: [proc.args]
      values: []
`);
    expect(rs.rules[0]?.condition).toBe(
      '(proc.name = sh) and not ((proc.pname in (cron, "my daemon") and user.name = root) or (proc.pname in (sshd, "login shell") and user.name = "nobody here")) and not (proc.exe pmatch (/usr/bin, "/opt/x y"))',
    );
    expect(expanded(rs, 'r')).toBe(
      'proc.name = sh and not ((proc.pname in (cron, "my daemon") and user.name = root) or (proc.pname in (sshd, "login shell") and user.name = "nobody here")) and not proc.exe pmatch (/usr/bin, "/opt/x y")',
    );
  });

  it('appends values to an existing exception and adds new ones', () => {
    const rs = load(
      `
- rule: r
  desc: d
  condition: proc.name = sh
  output: "%proc.name"
  priority: NOTICE
  exceptions:
    - name: ex
      fields: [proc.pname]
      values: [[cron]]
`,
      `
- rule: r
  exceptions:
    - name: ex
      values: [[anacron]]
    - name: ex2
      fields: user.name
      values: [root]
  override:
    exceptions: append
`,
    );
    expect(rs.rules[0]?.condition).toBe('(proc.name = sh) and not ((proc.pname = cron) or (proc.pname = anacron)) and not (user.name in (root))');
    expect(expanded(rs, 'r')).toBe('proc.name = sh and not (proc.pname = cron or proc.pname = anacron) and not user.name in (root)');
  });

  it('rejects a single-field exception with a non-list operator', () => {
    const err = loadError(`
- rule: r
  desc: d
  condition: proc.name = sh
  output: "%proc.name"
  priority: NOTICE
  exceptions:
    - name: ex
      fields: proc.pname
      comps: "="
      values: [cron]
`);
    expect(err.errors[0]).toMatchObject({ code: 'LOAD_ERR_VALIDATE', context: { line: 8, itemName: 'r' } });
  });
});

describe('rules loader: items, versions and validation', () => {
  it('accepts required_engine_version and required_plugin_versions and refuses a newer engine', () => {
    const rs = load(`
- required_engine_version: 0.57.0
- required_engine_version: 26
- required_plugin_versions:
    - name: container
      version: 0.4.0
${RULE('r', 'proc.name = x')}`);
    expect(rs.requiredPlugins).toMatchObject([{ name: 'container', version: '0.4.0' }]);
    const err = loadError(`\n- required_engine_version: 0.99.0\n`);
    expect(err.errors[0]).toMatchObject({ code: 'LOAD_ERR_VALIDATE', context: { line: 2, column: 3 } });
    expect(err.errors[0]?.message).toMatch(/require engine version 0\.99\.0, but engine version is 0\.63\.0/);
    expect(loadError(`\n- required_engine_version: 1.0.0\n`).errors[0]?.code).toBe('LOAD_ERR_VALIDATE');
  });

  it('reads priorities case-insensitively, Info included, and rejects unknown ones', () => {
    const rs = load(RULE('a', 'proc.name = x').replace('WARNING', 'info'), RULE('b', 'proc.name = y').replace('WARNING', 'eMeRgEnCy'));
    expect(rs.rules.map((r) => r.def.priority)).toEqual(['Informational', 'Emergency']);
    expect(loadError(RULE('c', 'proc.name = z').replace('WARNING', 'SEVERE')).errors[0]).toMatchObject({
      code: 'LOAD_ERR_VALIDATE',
      message: "invalid priority 'SEVERE'",
      context: { line: 6, column: 13 },
    });
  });

  it('requires condition, output, desc and priority on a new rule', () => {
    const err = loadError(`\n- rule: r\n  desc: d\n  output: o\n  priority: INFO\n`);
    expect(err.errors[0]).toMatchObject({ code: 'LOAD_ERR_YAML_VALIDATE', message: "item has no mapping for key 'condition'", context: { line: 2 } });
  });

  it('reports YAML syntax errors and non-list documents with positions', () => {
    const yamlErr = loadError('- rule: r\n  desc: [unclosed\n');
    expect(yamlErr.errors[0]?.code).toBe('LOAD_ERR_YAML_PARSE');
    expect(yamlErr.errors[0]?.context.line).toBeGreaterThan(0);
    expect(loadError('rule: r\n').errors[0]).toMatchObject({ code: 'LOAD_ERR_YAML_VALIDATE', context: { line: 1, column: 1 } });
  });

  it('warns about unknown keys and items, unused macros and lists, and <NA> comparisons', () => {
    const rs = load(`
- list: unused_list
  items: [a]
- macro: unused_macro
  condition: proc.name = a
- something_else: 1
${RULE('r', 'proc.name != "<NA>"', '  colour: blue\n')}`);
    expect(rs.warnings.map((w) => w.code).sort()).toEqual(
      ['LOAD_UNKNOWN_ITEM', 'LOAD_UNKNOWN_ITEM', 'LOAD_UNSAFE_NA_CHECK', 'LOAD_UNUSED_LIST', 'LOAD_UNUSED_MACRO'].sort(),
    );
    const unknownKey = rs.warnings.find((w) => w.message.includes('colour'));
    expect(unknownKey?.context).toMatchObject({ file: 'rules1.yaml', line: 13, column: 11 });
  });

  it('keeps tags as a set and defaults enabled and source', () => {
    const rs = load(RULE('r', 'proc.name = x', '  tags: [a, b, a]\n'));
    expect(rs.rules[0]?.def).toMatchObject({ tags: ['a', 'b'], enabled: true, source: 'syscall' });
  });
});
