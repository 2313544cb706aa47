import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-case.js';
import { cli } from './support.js';

/** rules check and chains check say, per regex, what the run will do with it. */
describe('the regex bound in rules check and chains check', () => {
  const tmp = tempDir('pedigree-regex-check-');
  afterAll(() => tmp.cleanup());

  const refused = 'the group ending at character 4 repeats and contains a repetition, which can take exponential time';

  it('rules check names a refused pattern and the bound on the others', async () => {
    const rules = tmp.path('regex-rules.yaml');
    const rule = (name: string, condition: string): string =>
      `- rule: ${name}\n  desc: test\n  condition: ${condition}\n  output: "${name} %proc.name"\n  priority: WARNING\n`;
    writeFileSync(
      rules,
      rule('Regex bomb', 'evt.type = execve and proc.cmdline regex "(a+)+b"') +
        rule('Plain regex', 'evt.type = execve and proc.exepath regex "/tmp/[a-z]+"') +
        rule('No regex', 'evt.type = execve and proc.name = sh'),
    );
    const r = await cli(['rules', 'check', rules, '--json']);
    expect(r.code).toBe(0);
    const detail = new Map((JSON.parse(r.stdout) as { rule: string; detail: string }[]).map((v) => [v.rule, v.detail]));
    expect(detail.get('Regex bomb')).toContain(`regex "(a+)+b" is refused when the rule runs: ${refused}`);
    expect(detail.get('Plain regex')).toContain('regex "/tmp/[a-z]+" runs as an anchored JavaScript regular expression, bounded by --rule-timeout');
    expect(detail.get('No regex')).not.toContain('regex');
    const explain = await cli(['rules', 'explain', rules, '--rule', 'Regex bomb']);
    expect(explain.stdout).toContain(`note:       regex "(a+)+b" is refused when the rule runs`);
  });

  it('chains check does the same for every step and unless condition', async () => {
    const chains = tmp.path('regex-chains.yaml');
    writeFileSync(
      chains,
      `- chain: Regex chain\n  desc: test\n  within: 1h\n  steps:\n    - step: a\n      condition: evt.type = execve and proc.name = sh\n    - step: b\n      condition: evt.type = execve and proc.cmdline regex "(x|xx)*y"\n      descendant_of: a\n  output: "%b.proc.name"\n  priority: WARNING\n`,
    );
    const r = await cli(['chains', 'check', chains, '--json']);
    expect(r.code).toBe(0);
    const [row] = JSON.parse(r.stdout) as { chain: string; detail: string }[];
    expect(row?.detail).toContain('regex "(x|xx)*y" is refused when the rule runs: the group ending at character 6 repeats and contains alternatives');
  });
});
