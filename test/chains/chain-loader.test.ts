import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileChain } from '../../src/chains/compile/chain-query.js';
import { loadRulesFiles, loadRulesText } from '../../src/rules/loader/load-rules.js';
import { describeMessage, RulesLoadError } from '../../src/rules/loader/load-result.js';
import { printCondition } from '../../src/rules/condition/printer.js';
import { BUNDLED_CHAINS } from './run-chains.js';

/** Loading `chain` items: shared lists and macros, validation with positions, overrides. */

const FALCO_RULES = fileURLToPath(new URL('../../../shared/rules/falco_rules.yaml', import.meta.url));

function chainYaml(body: string): string {
  return `- macro: spawned_process
  condition: evt.type = execve
- list: shells
  items: [sh, bash]
- chain: C
  desc: d
  within: 90s
  output: "%proc.name"
  priority: WARNING
${body}`;
}

function loadErrors(text: string): string[] {
  try {
    loadRulesText([{ name: 'c.yaml', text }]);
  } catch (err) {
    if (err instanceof RulesLoadError) return err.errors.map(describeMessage).map((m) => m.split('\n')[0] ?? m);
    throw err;
  }
  return [];
}

describe('chain items', () => {
  it('load with their steps, relations, window and unless entries; macros and lists are shared with rules', () => {
    const r = loadRulesText([
      {
        name: 'c.yaml',
        text: chainYaml(`  steps:
    - step: shell
      condition: spawned_process and proc.name in (shells)
    - step: tool
      condition: spawned_process and proc.name = nc
      descendant_of: shell
      same_container: shell
  unless:
    - condition: spawned_process and proc.name = true
      same_host: shell
`),
      },
    ]);
    const [c] = r.chains;
    expect(c?.def.withinNs).toBe(90_000_000_000n);
    expect(c?.steps.map((s) => [s.def.name, s.def.relations])).toEqual([
      ['shell', []],
      [
        'tool',
        [
          { kind: 'descendant_of', step: 0 },
          { kind: 'same_container', step: 0 },
        ],
      ],
    ]);
    expect(printCondition(c!.steps[0]!.ast)).toBe('evt.type = execve and proc.name in (sh, bash)');
    expect(c?.unless.map((u) => [u.def.after, u.def.before, u.def.relations])).toEqual([[0, 1, [{ kind: 'same_host', step: 0 }]]]);
    expect(r.warnings.filter((w) => w.code === 'LOAD_UNUSED_LIST' || w.code === 'LOAD_UNUSED_MACRO')).toEqual([]);
    expect(r.rules).toEqual([]);
  });

  it('report every mistake with its file, line and column', () => {
    const errors = loadErrors(
      chainYaml(`  steps:
    - step: a
      condition: spawned_process and
    - step: a
      condition: proc.name = x
      descendant_of: b
    - step: proc
      condition: proc.name = y
      same_process: a
      colour: red
  unless:
    - condition: proc.name = z
      after: a
      before: nowhere
      same_host: a
`),
    );
    expect(errors).toEqual([
      "c.yaml:13:7: error LOAD_ERR_YAML_VALIDATE (chain 'C'): step name 'a' is used twice",
      "c.yaml:15:22: error LOAD_ERR_YAML_VALIDATE (chain 'C'): 'descendant_of: b' must name an earlier step (earlier steps: 'a')",
      "c.yaml:19:15: error LOAD_ERR_YAML_VALIDATE (chain 'C'): unknown key 'colour' in step 3 (expected step, condition, descendant_of, same_process, same_container, same_host)",
      "c.yaml:16:7: error LOAD_ERR_YAML_VALIDATE (chain 'C'): step name 'proc' is a field class; pick another name",
    ]);
  });

  it('need two steps, a relation on every later step, a readable window and ordered unless bounds', () => {
    expect(loadErrors(chainYaml('  steps:\n    - step: only\n      condition: proc.name = sh\n'))).toEqual([
      "c.yaml:11:5: error LOAD_ERR_YAML_VALIDATE (chain 'C'): 'steps' must be a list of at least two steps",
    ]);
    expect(loadErrors(chainYaml('  steps:\n    - step: a\n      condition: proc.name = sh\n    - step: b\n      condition: proc.name = nc\n'))[0]).toBe(
      "c.yaml:13:7: error LOAD_ERR_YAML_VALIDATE (chain 'C'): needs a relation to an earlier step: one of descendant_of: <step>, same_process: <step>, same_container: <step>, same_host: <step>",
    );
    const swapped = chainYaml(
      '  steps:\n    - step: a\n      condition: proc.name = sh\n    - step: b\n      condition: proc.name = nc\n      same_host: a\n  unless:\n    - condition: proc.name = x\n      after: b\n      before: a\n      same_host: a\n',
    );
    expect(loadErrors(swapped)).toEqual(["c.yaml:17:7: error LOAD_ERR_YAML_VALIDATE (chain 'C'): unless entry 1: step 'b' must come before step 'a'"]);
    expect(loadErrors(chainYaml('  steps: []\n').replace('within: 90s', 'within: soon'))).toEqual([
      "c.yaml:7:11: error LOAD_ERR_YAML_VALIDATE (chain 'C'): cannot read 'within: soon': expected a duration such as 90s, 10m, 2h, 1d, 500ms",
      "c.yaml:10:10: error LOAD_ERR_YAML_VALIDATE (chain 'C'): 'steps' must be a list of at least two steps",
    ]);
  });

  it('point at the step whose condition does not parse or names an unknown macro', () => {
    const errors = loadErrors(
      chainYaml('  steps:\n    - step: a\n      condition: proc.name = sh and\n    - step: b\n      condition: no_such_macro\n      same_host: a\n'),
    );
    expect(errors[0]).toMatch(/^c\.yaml:12:18: error LOAD_ERR_COMPILE_CONDITION \(chain 'C'\): chain step 'C\/a': cannot parse condition: /);
    expect(errors[1]).toBe("c.yaml:14:18: error LOAD_ERR_COMPILE_CONDITION (chain 'C'): undefined macro 'no_such_macro' used in filter");
  });

  it('can be disabled by a later file, and the window reads h, m, s, ms and combinations', () => {
    const base = chainYaml(
      '  steps:\n    - step: a\n      condition: proc.name = sh\n    - step: b\n      condition: proc.name = nc\n      same_host: a\n',
    ).replace('within: 90s', 'within: 1h30m');
    const r = loadRulesText([
      { name: 'a.yaml', text: base },
      { name: 'b.yaml', text: '- chain: C\n  enabled: false\n  override:\n    enabled: replace\n' },
    ]);
    expect(r.chains[0]?.def.enabled).toBe(false);
    expect(r.chains[0]?.def.files).toEqual(['a.yaml', 'b.yaml']);
    expect(r.chains[0]?.def.withinNs).toBe(5_400_000_000_000n);
  });

  it.skipIf(!existsSync(FALCO_RULES))("use Falco's own macros when loaded after falco_rules.yaml", () => {
    const r = loadRulesText([
      { name: FALCO_RULES, text: readFileSync(FALCO_RULES, 'utf8') },
      {
        name: 'mine.yaml',
        text: `- chain: Shell in container then package manager
  desc: d
  within: 5m
  steps:
    - step: shell
      condition: spawned_process and container and shell_procs
    - step: pkg
      condition: spawned_process and proc.name in (package_mgmt_binaries)
      same_container: shell
  output: "%pkg.proc.cmdline"
  priority: NOTICE
`,
      },
    ]);
    const chain = r.chains.find((c) => c.def.name === 'Shell in container then package manager');
    expect(chain).toBeDefined();
    expect(compileChain(chain!).status).toBe('evaluable');
    expect(r.rules.length).toBeGreaterThan(20);
  });

  it('bundled chain rules load after Falco’s rules without changing any Falco rule', () => {
    if (!existsSync(FALCO_RULES)) return;
    const alone = loadRulesFiles([FALCO_RULES]);
    const together = loadRulesFiles([FALCO_RULES, BUNDLED_CHAINS]);
    expect(together.chains).toHaveLength(9);
    expect(together.rules.map((x) => printCondition(x.ast))).toEqual(alone.rules.map((x) => printCondition(x.ast)));
  });
});
