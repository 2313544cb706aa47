/**
 * Benchmark: `pedigree report` on the generated 1M-exec rules case after every bundled chain
 * has run and stored its ~30k matches (bench/rules-case.ts). Target (issue 16): written in
 * seconds, repeated findings grouped, the page under a few MB.
 *
 *   node --import tsx bench/report-run.ts [--execs 1000000] [--rebuild]
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BUNDLED_CHAIN_RULES } from '../src/chains/bundled.js';
import { compileChains, evaluableChains, selectChains } from '../src/chains/chainset.js';
import { runCompiledChains } from '../src/chains/run/chain-runner.js';
import { writeChainMatches } from '../src/chains/run/chain-writer.js';
import { openCaseForWrite, openCaseReadOnly } from '../src/db/open.js';
import { buildReport } from '../src/report/build-report.js';
import { loadRulesFiles } from '../src/rules/loader/load-rules.js';
import { buildRulesCase } from './rules-case.js';

const args = process.argv.slice(2);
const execs = Number(args[args.indexOf('--execs') + 1] ?? 0) || 1_000_000;
const out = fileURLToPath(new URL('./out/', import.meta.url));
mkdirSync(out, { recursive: true });
const rulesDb = `${out}rules-${execs}.db`;
const reportDb = `${out}report-${execs}.db`;

if (args.includes('--rebuild') || !existsSync(rulesDb)) {
  const t0 = Date.now();
  buildRulesCase(rulesDb, execs);
  console.log(`built ${rulesDb} (${execs} execs) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
if (args.includes('--rebuild') || !existsSync(reportDb)) {
  copyFileSync(rulesDb, reportDb);
  const t0 = Date.now();
  const compiled = evaluableChains(compileChains(selectChains(loadRulesFiles([BUNDLED_CHAIN_RULES]))));
  const ro = openCaseReadOnly(reportDb);
  const { matches } = runCompiledChains(ro, compiled);
  ro.close();
  const rw = openCaseForWrite(reportDb);
  writeChainMatches(rw, matches, [BUNDLED_CHAIN_RULES], BigInt(Date.now()) * 1_000_000n);
  rw.close();
  console.log(`ran and stored ${matches.length} chain matches in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const db = openCaseReadOnly(reportDb);
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const report = buildReport(db, {}, reportDb);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
const cpu = process.cpuUsage(cpu0);
db.close();
const html = `${out}report-${execs}.html`;
writeFileSync(html, report.html);
const bytes = Buffer.byteLength(report.html);
console.log(`report of ${execs} execs: ${report.findings} findings in ${report.groups} groups, ${report.drawn} drawn`);
console.log(
  `built in ${(ms / 1000).toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU, ${(bytes / 1024 / 1024).toFixed(2)} MiB (${html}); load average before: ${load}`,
);
