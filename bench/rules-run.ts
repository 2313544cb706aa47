/**
 * Benchmark: every evaluable upstream Falco rule over a synthetic case of N exec rows.
 * Targets (issue 4): under 20 s in total, no rule slower than 2 s.
 *
 *   node --import tsx bench/rules-run.ts [--execs 1000000] [--rebuild] [--rule-timeout]
 *
 * With --rule-timeout, the rules also run as `rules run` runs them by default: each query in a
 * child process that a time limit can kill (5 minutes here), and both wall times are printed.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openCaseReadOnly } from '../src/db/open.js';
import { loadRulesFiles } from '../src/rules/loader/load-rules.js';
import { compileRules, evaluableRules, selectRules } from '../src/rules/ruleset.js';
import { TimedQueries } from '../src/db/timed-query.js';
import { runCompiledRules, runCompiledRulesWith } from '../src/rules/run/rule-runner.js';
import { buildRulesCase } from './rules-case.js';

const args = process.argv.slice(2);
const execs = Number(args[args.indexOf('--execs') + 1] ?? 0) || 1_000_000;
const rebuild = args.includes('--rebuild');
const out = fileURLToPath(new URL('./out/', import.meta.url));
mkdirSync(out, { recursive: true });
const dbPath = `${out}rules-${execs}.db`;
const rulesDir = fileURLToPath(new URL('../../shared/rules/', import.meta.url));

if (rebuild || !existsSync(dbPath)) {
  const t0 = Date.now();
  buildRulesCase(dbPath, execs);
  console.log(`built ${dbPath} (${execs} execs) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const t0 = process.hrtime.bigint();
const ruleset = loadRulesFiles([`${rulesDir}falco_rules.yaml`, `${rulesDir}falco-incubating_rules.yaml`, `${rulesDir}falco-sandbox_rules.yaml`]);
const all = ruleset.rules; // enabled and disabled: every evaluable rule is measured
const compiled = evaluableRules(compileRules(selectRules(ruleset, { names: all.map((r) => r.def.name) })));
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;

const db = openCaseReadOnly(dbPath);
const t1 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const { alerts, stats } = runCompiledRules(db, compiled);
const runMs = Number(process.hrtime.bigint() - t1) / 1e6;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
db.close();

const width = Math.max(...stats.map((s) => s.rule.length));
for (const s of [...stats].sort((a, b) => b.ms - a.ms))
  console.log(`${s.rule.padEnd(width)}  ${String(s.hits).padStart(7)}  ${(s.ms / 1000).toFixed(3).padStart(7)} s`);
const slowest = Math.max(...stats.map((s) => s.ms));
console.log(`\n${compiled.length} rules, ${execs} execs, ${alerts.length} alerts`);
console.log(
  `load+compile ${(loadMs / 1000).toFixed(2)} s, run ${(runMs / 1000).toFixed(2)} s wall / ${(cpuMs / 1000).toFixed(2)} s CPU (incl. rendering), slowest rule ${(slowest / 1000).toFixed(2)} s`,
);
if (args.includes('--rule-timeout')) {
  const ro = openCaseReadOnly(dbPath);
  const timed = new TimedQueries(dbPath, 5 * 60_000);
  const t2 = process.hrtime.bigint();
  const cpu1 = process.cpuUsage();
  const viaChild = await runCompiledRulesWith(ro, compiled, (sql, parameters) => timed.run(sql, parameters));
  const childMs = Number(process.hrtime.bigint() - t2) / 1e6;
  const parentCpu = process.cpuUsage(cpu1);
  timed.close();
  ro.close();
  if (viaChild.alerts.length !== alerts.length || viaChild.failures.length > 0) throw new Error('the child-process run differs from the in-process run');
  console.log(
    `in a killable child process (--rule-timeout 5m): run ${(childMs / 1000).toFixed(2)} s wall (${((childMs / runMs - 1) * 100).toFixed(0)}% vs in process), this process ${((parentCpu.user + parentCpu.system) / 1e6).toFixed(2)} s CPU`,
  );
}
const ok = runMs < 20_000 && slowest < 2_000;
console.log(ok ? 'targets met: total < 20 s, every rule < 2 s' : 'TARGETS MISSED');
process.exitCode = ok ? 0 : 1;
