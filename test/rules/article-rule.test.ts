import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openCaseForWrite, openCaseReadOnly } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { mergeAcrossSources } from '../../src/importer/merge-sources.js';
import { loadRulesFiles, type LoadOptions } from '../../src/rules/loader/load-rules.js';
import type { Alert } from '../../src/rules/output/alert.js';
import { compileRules, evaluableRules, selectRules } from '../../src/rules/ruleset.js';
import { runCompiledRules } from '../../src/rules/run/rule-runner.js';
import { captureFiles, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * The rule of the Falco process-lineage article, pasted as printed (samples/rules/
 * article-spawn-shell.yaml): `proc.parent.name` read as Falco's `proc.pname`, the `container`
 * macro from Falco's default rules (bundled, or falco_rules.yaml itself), checked on the bundled
 * story (nginx 2351 → sh 4001 in pod container 3f9a1c0e2b7d) and against sysdig's truth files.
 */

const ARTICLE = fileURLToPath(new URL('../../samples/rules/article-spawn-shell.yaml', import.meta.url));
const STORY = fileURLToPath(new URL('../../samples/story.scap', import.meta.url));
const FALCO_RULES = fileURLToPath(new URL('../../../shared/rules/falco_rules.yaml', import.meta.url));
const RULE = 'Spawn Shell in Container';
const SHELLS = new Set(['sh', 'bash', 'ash', 'zsh']);
const tmp = tempDir('pedigree-article-');
afterAll(() => tmp.cleanup());

let cases = 0;
async function importCase(input: string): Promise<string> {
  const dbPath = tmp.path(`case-${cases++}.db`);
  const db = openCaseForWrite(dbPath);
  try {
    await importFile(db, input, { afterWrite: mergeAcrossSources });
  } finally {
    db.close();
  }
  return dbPath;
}

function articleAlerts(dbPath: string, files: string[], options: LoadOptions): Alert[] {
  const compiled = evaluableRules(compileRules(selectRules(loadRulesFiles(files, options), { names: [RULE] })));
  const ro = openCaseReadOnly(dbPath);
  try {
    return runCompiledRules(ro, compiled).alerts;
  } finally {
    ro.close();
  }
}

const fieldsOf = (a: Alert): Record<string, unknown> => ({
  container_id: a.outputFields['container.id'],
  proc_name: a.outputFields['proc.name'],
  proc_ppid: a.outputFields['proc.ppid'],
  proc_parent_name: a.outputFields['proc.parent.name'],
});

describe('the article rule on the bundled story', () => {
  it('fires once, on nginx → sh, with the bundled Falco definitions', async () => {
    const db = await importCase(STORY);
    const alerts = articleAlerts(db, [ARTICLE], { withFalcoDefaults: true });
    expect(alerts.map(fieldsOf)).toEqual([{ container_id: '3f9a1c0e2b7d', proc_name: 'sh', proc_ppid: 2351n, proc_parent_name: 'nginx' }]);
    // sysdig 0.29.3 reports the same execve (evt.num 186) for the same condition with proc.pname.
    expect(alerts[0]?.evtNum).toBe(186n);
    expect(alerts[0]?.output).toBe('Shell spawned by unexpected parent (container_id=3f9a1c0e2b7d, proc_name=sh, proc_ppid=2351, proc_parent_name=nginx)');
  });

  it.skipIf(!HAVE_CAPTURES)('gives the same alert after falco_rules.yaml', async () => {
    const db = await importCase(STORY);
    const withDefaults = articleAlerts(db, [ARTICLE], { withFalcoDefaults: true });
    const afterFalco = articleAlerts(db, [FALCO_RULES, ARTICLE], {});
    expect(afterFalco.map((a) => [a.execId, a.output])).toEqual(withDefaults.map((a) => [a.execId, a.output]));
  });
});

describe('the article rule from the command line', () => {
  it('fails alone with the file that defines container and how to load it, and runs with --with-falco-defaults', async () => {
    const db = await importCase(STORY);
    const alone = runCli(['rules', 'run', ARTICLE, '--db', db]);
    expect(alone.code).toBe(65);
    expect(alone.stderr).toContain(
      "undefined macro 'container' used in filter; Falco's default rules file falco_rules.yaml defines it: name that file before yours (pedigree rules run falco_rules.yaml FILE …) or add --with-falco-defaults",
    );
    const run = runCli(['rules', 'run', '--with-falco-defaults', ARTICLE, '--db', db], { env: { TZ: 'UTC' } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z: Warning Shell spawned by unexpected parent \(container_id=3f9a1c0e2b7d, proc_name=sh, proc_ppid=2351, proc_parent_name=nginx\)\n$/,
    );
    const check = runCli(['rules', 'check', '--json', '--with-falco-defaults', ARTICLE]);
    expect((JSON.parse(check.stdout) as { detail: string }[])[0]?.detail).toContain('proc.parent.name: Falco spells this proc.pname');
  });
});

/** Execve rows of a sysdig truth file that the article's condition matches (Falco semantics: <NA> never compares). */
function truthMatches(capture: string): string[] {
  const lines = readFileSync(`${capture}.truth.tsv`, 'utf8').trim().split('\n');
  const header = (lines[0] ?? '').split('\t');
  const col = (row: string[], name: string): string => row[header.indexOf(name)] ?? '';
  return lines
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((r) => col(r, 'container.id') !== 'host' && SHELLS.has(col(r, 'proc.name')) && col(r, 'proc.pname') !== '<NA>' && !SHELLS.has(col(r, 'proc.pname')))
    .map((r) => `${col(r, 'evt.num')} ${col(r, 'proc.name')} ${col(r, 'proc.ppid')} ${col(r, 'proc.pname')}`);
}

describe.skipIf(!HAVE_CAPTURES)('the article rule on the real captures, against sysdig', () => {
  for (const capture of captureFiles()) {
    it(`matches the execs sysdig's fields say it should in ${capture.slice(capture.lastIndexOf('/') + 1)}`, async () => {
      const db = await importCase(capture);
      const alerts = articleAlerts(db, [ARTICLE], { withFalcoDefaults: true });
      const ro = openCaseReadOnly(db);
      const kinds = new Map((ro.prepare('SELECT exec_id, kind FROM execs').all() as { exec_id: bigint; kind: string }[]).map((r) => [r.exec_id, r.kind]));
      ro.close();
      const execAlerts = alerts
        .filter((a) => kinds.get(a.execId) === 'exec')
        .map((a) => `${a.evtNum} ${a.outputFields['proc.name']} ${a.outputFields['proc.ppid']} ${a.outputFields['proc.parent.name']}`);
      expect(execAlerts).toEqual(truthMatches(capture));
      for (const a of alerts) expect(SHELLS.has(String(a.outputFields['proc.parent.name']))).toBe(false);
    });
  }
});

describe('proc.parent.* in -p formats', () => {
  it('prints the same values as proc.pname, proc.ppid and proc.aname[2]', async () => {
    const db = await importCase(STORY);
    const aliases = runCli(['execs', '--db', db, '-p', '%proc.name %proc.parent.name %proc.parent.pid %proc.parent.parent.name']);
    const falco = runCli(['execs', '--db', db, '-p', '%proc.name %proc.pname %proc.ppid %proc.aname[2]']);
    expect(aliases.code, aliases.stderr).toBe(0);
    expect(aliases.stdout).toBe(falco.stdout);
    expect(aliases.stdout).toContain('sh nginx 2351 nginx');
  });
});

describe.skipIf(!HAVE_CAPTURES)('the bundled Falco definitions', () => {
  it("are falco_rules.yaml's lists and macros, verbatim and in order", () => {
    const bundled = readFileSync(fileURLToPath(new URL('../../rules/falco-defaults.yaml', import.meta.url)), 'utf8');
    const upstream = readFileSync(FALCO_RULES, 'utf8');
    const items = bundled
      .split(/\n(?=- (?:list|macro):)/)
      .slice(1)
      .map((i) => i.trim());
    expect(items.length).toBe((upstream.match(/^- (list|macro):/gm) ?? []).length);
    let at = 0;
    for (const item of items) {
      const found = upstream.indexOf(item, at);
      expect(found, item.slice(0, 80)).toBeGreaterThanOrEqual(at);
      at = found + item.length;
    }
  });
});

describe('field spelling messages', () => {
  it('suggests the field a misspelt name meant, distinct from a Falco field the case cannot answer', () => {
    const dir = tempDir('pedigree-typo-');
    try {
      const file = join(dir.dir, 'typo.yaml');
      const rule = (name: string, condition: string): string =>
        `- rule: ${name}\n  desc: d\n  condition: evt.type = execve and ${condition}\n  output: o\n  priority: WARNING\n`;
      writeFileSync(file, [rule('Typo', 'proc.parnet.name = nginx'), rule('Fd', 'fd.name = /etc/passwd'), rule('Nothing', 'zz.qq = 1')].join(''));
      const check = runCli(['rules', 'check', '--json', file]);
      const details = Object.fromEntries(
        (JSON.parse(check.stdout) as { rule: string; verdict: string; detail: string }[]).map((r) => [r.rule, `${r.verdict}: ${r.detail}`]),
      );
      expect(details.Typo).toBe('error: proc.parnet.name is not a field; did you mean proc.parent.name (proc.pname)? (condition line 1 column 23)');
      expect(details.Fd).toBe(
        'not-evaluable: fd.name: fd.name is a Falco field pedigree knows but the case cannot answer: it needs file-descriptor data (open, connect, accept events)',
      );
      expect(details.Nothing).toBe('error: zz.qq is not a field (see pedigree fields) (condition line 1 column 23)');
      expect(check.code).toBe(65);
    } finally {
      dir.cleanup();
    }
  });
});
