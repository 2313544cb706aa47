import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCaseReadOnly } from '../../src/db/open.js';
import { loadRulesFiles } from '../../src/rules/loader/load-rules.js';
import { compileRules, evaluableRules } from '../../src/rules/ruleset.js';
import { runCompiledRules } from '../../src/rules/run/rule-runner.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** The real upstream rules files: they load in Falco's order, and the evaluable ones run everywhere. */

const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const RULES = `${SHARED}rules/`;
const FILES = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) => `${RULES}${f}`);
const haveShared = existsSync(RULES) && existsSync(`${SHARED}captures/`);
if (!haveShared) console.warn('SKIPPED upstream rules tests: ../shared (rules, captures, inventory) is not present');

const dir = tempDir('pedigree-upstream-');
afterAll(() => dir.cleanup());

describe.skipIf(!haveShared)('upstream Falco rules', () => {
  // A skipped describe still runs this body to collect its tests: read nothing that is absent.
  const ruleset = loadRulesFiles(haveShared ? FILES : []);
  const reports = compileRules(ruleset.rules);

  it('loads all three files in Falco order without errors or unexpected warnings', () => {
    expect(ruleset.rules).toHaveLength(93);
    const unexpected = ruleset.warnings.filter((w) => !['LOAD_UNUSED_MACRO', 'LOAD_UNUSED_LIST'].includes(w.code));
    expect(unexpected).toEqual([]);
    expect(ruleset.requiredPlugins.map((p) => p.name)).toContain('container');
  });

  it('finds exactly the evaluable rules the inventory lists, and no compile errors', () => {
    const tsv = readFileSync(`${SHARED}docs/falco-rules-inventory.tsv`, 'utf8').trim().split('\n').slice(1);
    const expected = tsv
      .map((l) => l.split('\t'))
      .filter((c) => c[2] === 'yes')
      .map((c) => c[0])
      .sort();
    // The inventory judges whole conditions; Schedule Cron Jobs is evaluable in part (its
    // crontab branch), its file branch dropped.
    const partial = (r: (typeof reports)[number]): boolean => r.verdict.status === 'evaluable' && r.verdict.compiled.reduced !== undefined;
    const evaluable = reports
      .filter((r) => r.verdict.status === 'evaluable' && !partial(r))
      .map((r) => r.rule.def.name)
      .sort();
    expect(evaluable).toEqual(expected);
    expect(evaluable).toHaveLength(38);
    expect(reports.filter((r) => r.verdict.status === 'error')).toEqual([]);
    const cron = reports.find((r) => r.rule.def.name === 'Schedule Cron Jobs');
    expect(reports.filter(partial).map((r) => r.rule.def.name)).toEqual(['Schedule Cron Jobs']);
    expect(cron?.verdict.status === 'evaluable' && cron.verdict.compiled.reduced?.dropped).toEqual([
      expect.objectContaining({ blocking: 'evt.is_open_write', branch: expect.stringContaining('fd.name startswith /etc/cron') }),
    ]);
  });

  const captures = haveShared
    ? readdirSync(`${SHARED}captures/`)
        .filter((f) => f.endsWith('.scap'))
        .sort()
    : [];
  it.each(captures)('runs every evaluable rule on %s', (capture) => {
    const db = dir.path(`${capture}.db`);
    const imp = runCli(['import', `${SHARED}captures/${capture}`, '--db', db, '-q']);
    expect(imp.code, imp.stderr).toBe(0);
    const ro = openCaseReadOnly(db);
    try {
      const compiled = evaluableRules(reports.filter((r) => r.verdict.status === 'evaluable'));
      const { stats } = runCompiledRules(ro, compiled);
      expect(stats).toHaveLength(39);
    } finally {
      ro.close();
    }
  });
});
