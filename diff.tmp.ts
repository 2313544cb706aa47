import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { openCaseReadOnly } from './src/db/open.js';
import { loadRulesFiles } from './src/rules/loader/load-rules.js';
import { compileRules } from './src/rules/ruleset.js';
import { printCondition } from './src/rules/condition/printer.js';
const R = '/work/shared/rules/', C = '/work/shared/captures/';
const rs = loadRulesFiles([R + 'falco_rules.yaml', R + 'falco-incubating_rules.yaml', R + 'falco-sandbox_rules.yaml']);
const reps = compileRules(rs.rules).filter((r) => r.verdict.status === 'evaluable');
for (const f of readdirSync(C).filter((x) => x.endsWith('.scap'))) {
  const db = `/tmp/diff-${f}.db`;
  rmSync(db, { force: true });
  const imp = spawnSync('node', ['bin/pedigree.js', 'import', C + f, '--db', db, '-q'], { encoding: 'utf8' });
  if (imp.status !== 0) { console.log('IMPORT FAIL', f, imp.stderr.slice(0, 200)); continue; }
  const d = openCaseReadOnly(db);
  const nexec = d.prepare("select count(*) n from execs where kind='exec'").get() as any;
  for (const r of reps) {
    if (r.verdict.status !== 'evaluable') continue;
    const c = r.verdict.compiled;
    const ours = (d.prepare(c.sql).all(...c.parameters) as any[]).map((x) => String(x.evt_num)).sort();
    const cond = `(${printCondition(r.rule.ast)}) and evt.type in (execve, execveat) and evt.dir=<`;
    const s = spawnSync('sysdig', ['-r', C + f, '-p', '%evt.num', cond], { encoding: 'utf8' });
    const theirs = s.status === 0 ? s.stdout.split('\n').filter(Boolean).sort() : ['ERR:' + s.stderr.trim().slice(0, 150)];
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) console.log(f, '|', r.rule.def.name, '| ours', ours.join(','), '| sysdig', theirs.join(','));
  }
  console.log('done', f, 'execs', nexec.n);
  d.close();
}
