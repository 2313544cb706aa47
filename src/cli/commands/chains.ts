import { Command, Option } from 'commander';
import { BUNDLED_CHAIN_RULES } from '../../chains/bundled.js';
import { compileChains, evaluableChains, selectChains } from '../../chains/chainset.js';
import { chainJson, chainText, pathLabels } from '../../chains/output/chain-format.js';
import { runCompiledChains, runCompiledChainsWith } from '../../chains/run/chain-runner.js';
import { writeChainMatches } from '../../chains/run/chain-writer.js';
import { FieldCoverage } from '../../rules/compile/field-coverage.js';
import { regexNotes } from '../../rules/compile/regex-notes.js';
import { printCondition } from '../../rules/condition/printer.js';
import { loadRulesFiles } from '../../rules/loader/load-rules.js';
import type { Priority } from '../../rules/priority.js';
import { PedigreeError } from '../../util/errors.js';
import { dbOption, outputMode, timeOptions, timeStyle, unusedDbOption } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { isoTime } from '../../format/render-value.js';
import { printRows } from '../output.js';
import { withCase, withCaseForWrite } from '../read-case.js';
import { failureText, ruleTimeoutOption } from '../rule-timeout.js';
import { failureJson, printRunStats, runOverCase, timeBoundsOf, type RunOverCaseOptions } from '../run-over-case.js';
import { printableParameters, printWarnings, runOptions } from './rules-options.js';
import { pictureFormatOption, printPicture } from '../picture-output.js';
import { stepsPicture, type PictureFormat } from '../../report/pictures.js';

function chainFiles(given: string[]): string[] {
  return given.length > 0 ? given : [BUNDLED_CHAIN_RULES];
}

function makeCheckCommand(): Command {
  const cmd = new Command('check')
    .description('load chain rules and say, per chain, whether the case data can answer every step and why not')
    .argument('[files...]', 'rules files holding chain items (with the lists and macros they use), loaded in order; default: the bundled rules/chains.yaml')
    .addOption(new Option('--json', 'print JSON instead of a table'))
    .addOption(new Option('--csv', 'print CSV instead of a table'))
    .addOption(new Option('-v, --verbose', 'also print unused-macro and unused-list warnings'))
    .addOption(new Option('--db <path>', 'also report, per chain, the fields its steps read that no row of this case has a value for'))
    .addHelpText(
      'after',
      `
Examples:
  $ pedigree chains check                                   # the bundled rules/chains.yaml
  $ pedigree chains check falco_rules.yaml my-chains.yaml   # chains using Falco's macros`,
    );
  cmd.action((given: string[], opts: { json?: boolean; csv?: boolean; verbose?: boolean; db?: string }) => {
    const files = chainFiles(given);
    const ruleset = loadRulesFiles(files);
    printWarnings(ruleset.warnings, Boolean(opts.verbose));
    const reports = compileChains(ruleset.chains);
    const coverage = opts.db
      ? withCase(opts.db, (ro) => {
          const c = new FieldCoverage(ro);
          return reports.map((r) => (r.verdict.status === 'evaluable' ? c.gaps([...r.chain.steps, ...r.chain.unless].map((s) => s.ast)) : []));
        })
      : undefined;
    const rows = reports.map(({ chain, verdict }, i) => ({
      chain: chain.def.name,
      enabled: chain.def.enabled,
      priority: chain.def.priority,
      steps: chain.steps.map((s) => s.def.name).join(' → '),
      within: chain.def.withinText,
      verdict: verdict.status,
      detail: [
        verdict.status === 'evaluable'
          ? ''
          : verdict.status === 'not-evaluable'
            ? `${verdict.part}: ${verdict.blocking}: ${verdict.reason}`
            : `${verdict.part}: ${verdict.message}`,
        ...regexNotes(...[...chain.steps, ...chain.unless].map((s) => s.ast)),
        ...(coverage?.[i] ?? []).map((gap) => `not in this case: ${gap}`),
      ]
        .filter(Boolean)
        .join('; '),
      file: `${chain.def.context.file}:${chain.def.context.line}`,
    }));
    printRows(rows, outputMode(opts));
    const count = (s: string): number => reports.filter((r) => r.verdict.status === s).length;
    process.stderr.write(`${reports.length} chains: ${count('evaluable')} evaluable, ${count('not-evaluable')} not evaluable, ${count('error')} with errors\n`);
    if (reports.length === 0) process.stderr.write(`no chain items in ${files.join(', ')} (see docs/chains.md)\n`);
    if (count('error') > 0) process.exitCode = 65;
  });
  return cmd;
}

interface RunOptions extends RunOverCaseOptions {
  chain?: string[];
  minPriority?: Priority;
  format?: PictureFormat;
}

/** Matches drawn by `chains run --format`; the rest are counted on stderr. */
const MATCHES_DRAWN = 20;

function makeRunCommand(): Command {
  const cmd = new Command('run')
    .description('run chain rules over the whole case, print each match (Falco-style line, then its steps) and store it in the chains tables')
    .argument('[files...]', 'rules files holding chain items, loaded in order; default: the bundled rules/chains.yaml')
    .addOption(dbOption())
    .addOption(new Option('--json', 'print one JSON object per match (Falco alert keys plus steps)'))
    .addOption(pictureFormatOption())
    .addOption(new Option('--csv', 'print one CSV row per match step (time, chain, priority, step, exec, pid, name, path, output)'))
    .addHelpText(
      'after',
      `
One match per first-step exec: the earliest way the chain completes from it. Text lines start
with the ISO 8601 UTC time; --time-format falco prints Falco's time of day, --tz a zone.

Examples:
  $ pedigree chains run --db case.db                        # the bundled rules/chains.yaml
  $ pedigree chains run rules/chains.yaml my-chains.yaml --db case.db
  $ pedigree chains run rules/chains.yaml --chain 'Reverse shell from an application runtime' --json
  $ pedigree chains run --db case.db --format svg > chains.svg    # the matches' lineage, steps highlighted
  $ pedigree query "SELECT * FROM chain_steps JOIN exec_details USING (exec_id)" --db case.db`,
    );
  for (const option of [...runOptions('chain', 'steps', 'chains tables'), ruleTimeoutOption('chain'), ...timeOptions()]) cmd.addOption(option);
  cmd.action(async (given: string[], opts: RunOptions) => {
    const files = chainFiles(given);
    const ruleset = loadRulesFiles(files);
    if (!opts.quiet) printWarnings(ruleset.warnings, false);
    const selected = selectChains(ruleset, { ...(opts.chain ? { names: opts.chain } : {}), ...(opts.minPriority ? { minPriority: opts.minPriority } : {}) });
    const reports = compileChains(selected, timeBoundsOf(opts));
    const compiled = evaluableChains(reports);
    const runNs = BigInt(Date.now()) * 1_000_000n;
    const result = await runOverCase(opts, files, {
      inProcess: (db) => runCompiledChains(db, compiled),
      timed: (db, query) => runCompiledChainsWith(db, compiled, query),
      within: (run, scope) => ({ ...run, matches: run.matches.filter((m) => m.steps.every((s) => scope.has(s.execId))) }),
    });
    if (opts.format !== undefined) {
      const drawn = result.matches.slice(0, MATCHES_DRAWN);
      const graph = withCase(opts.db, (db) =>
        stepsPicture(
          db,
          drawn.map((m) => ({ steps: m.steps.map((s) => ({ name: s.name, execId: Number(s.execId) })) })),
        ),
      );
      printPicture(graph, opts.format, 'chain matches');
      if (result.matches.length > drawn.length) process.stderr.write(`the first ${drawn.length} of ${result.matches.length} matches drawn\n`);
    } else if (opts.csv) {
      printRows(
        result.matches.flatMap((m, match) =>
          m.steps.map((s) => ({
            match: match + 1,
            time: isoTime(m.endNs),
            chain: m.chain,
            priority: m.priority,
            hostname: m.hostname,
            container: m.containerId ?? 'host',
            step: s.name,
            exec: s.execId,
            step_time: isoTime(s.tsNs),
            pid: s.pid,
            name: s.procName,
            path: pathLabels(s.path).join(' → '),
            output: m.output,
          })),
        ),
        'csv',
        ['match', 'time', 'chain', 'priority', 'hostname', 'container', 'step', 'exec', 'step_time', 'pid', 'name', 'path', 'output'],
      );
    } else {
      const time = timeFormatter(timeStyle(opts));
      for (const m of result.matches) process.stdout.write(`${opts.json ? chainJson(m) : chainText(m, time)}\n`);
      if (opts.json) for (const f of result.failures) process.stdout.write(`${failureJson('chain', f.chain, f)}\n`);
    }
    if (opts.save && result.matches.length > 0)
      withCaseForWrite(opts.db, 'saving the matches of a chains run', (rw) => writeChainMatches(rw, result.matches, files, runNs));
    if (opts.stats)
      printRunStats(
        'chain',
        'matches',
        result.stats.map((s) => ({ name: s.chain, priority: s.priority, hits: s.matches, ms: s.ms })),
      );
    for (const f of result.failures) process.stderr.write(`pedigree: ${failureText('chain', f.chain, f)}\n`);
    // Some chains failed while the others ran and printed: the rules file's doing, as with a compile error.
    if (result.failures.length > 0) process.exitCode = 65;
    if (!opts.quiet) {
      const skipped = reports.length - compiled.length;
      const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 'es'}`;
      process.stderr.write(
        `${compiled.length} chain${compiled.length === 1 ? '' : 's'} run, ${plural(result.matches.length, 'match')}` +
          (skipped > 0 ? `; ${skipped} selected chain${skipped === 1 ? '' : 's'} not evaluable on process data (see pedigree chains check)` : '') +
          (ruleset.chains.length === 0 ? `; no chain items in ${files.join(', ')}` : '') +
          '\n',
      );
    }
  });
  return cmd;
}

function makeExplainCommand(): Command {
  const cmd = new Command('explain')
    .description('show how a chain is compiled: its steps with expanded conditions, relations, window, SQL and parameters')
    .argument('[files...]', 'rules files holding chain items, loaded in order; default: the bundled rules/chains.yaml')
    .requiredOption('--chain <name>', 'the chain to explain')
    .addOption(unusedDbOption())
    .addOption(new Option('--json', 'print JSON'))
    .addHelpText(
      'after',
      `
Examples:
  $ pedigree chains explain rules/chains.yaml --chain 'Web service shell fetches and runs a payload'`,
    );
  cmd.action((given: string[], opts: { chain: string; json?: boolean }) => {
    const ruleset = loadRulesFiles(chainFiles(given));
    const [chain] = selectChains(ruleset, { names: [opts.chain] });
    if (!chain) throw new PedigreeError('USAGE', `no chain named '${opts.chain}'`);
    const [report] = compileChains([chain]);
    const verdict = report!.verdict;
    const names = chain.steps.map((s) => s.def.name);
    const relationText = (rs: { kind: string; step: number }[]): string => rs.map((r) => `${r.kind} ${names[r.step]}`).join(', ');
    const info = {
      chain: chain.def.name,
      file: `${chain.def.context.file}:${chain.def.context.line}`,
      priority: chain.def.priority,
      enabled: chain.def.enabled,
      within: chain.def.withinText,
      within_ns: chain.def.withinNs.toString(),
      steps: chain.steps.map((s) => ({ step: s.def.name, condition: printCondition(s.ast), relations: relationText(s.def.relations) })),
      unless: chain.unless.map((u) => ({
        condition: printCondition(u.ast),
        after: names[u.def.after],
        before: names[u.def.before],
        relations: relationText(u.def.relations),
      })),
      verdict: verdict.status,
      ...(verdict.status === 'evaluable'
        ? { sql: verdict.compiled.sql, parameters: printableParameters(verdict.compiled.parameters) }
        : verdict.status === 'not-evaluable'
          ? { blocked_in: verdict.part, blocking: verdict.blocking, reason: verdict.reason }
          : { error_in: verdict.part, error: verdict.message }),
    };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return;
    }
    const lines = [
      `chain:      ${info.chain}`,
      `file:       ${info.file}`,
      `priority:   ${info.priority}${info.enabled ? '' : ' (disabled)'}`,
      `within:     ${info.within}`,
      ...info.steps.map((s, i) => `step ${i + 1}:     ${s.step}${s.relations ? ` (${s.relations})` : ''}: ${s.condition}`),
      ...info.unless.map((u) => `unless:     between ${u.after} and ${u.before} (${u.relations}): ${u.condition}`),
      `verdict:    ${info.verdict}`,
    ];
    if (verdict.status === 'evaluable')
      lines.push('', verdict.compiled.sql, '', `parameters: ${JSON.stringify(printableParameters(verdict.compiled.parameters))}`);
    else if (verdict.status === 'not-evaluable') lines.push(`blocked in: ${verdict.part}`, `blocked by: ${verdict.blocking}`, `reason:     ${verdict.reason}`);
    else lines.push(`error in:   ${verdict.part}`, `error:      ${verdict.message}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  });
  return cmd;
}

export function makeChainsCommand(): Command {
  const cmd = new Command('chains').description('multi-step chain rules compiled to SQL: check, run and explain them over the whole case');
  cmd.addCommand(makeCheckCommand());
  cmd.addCommand(makeRunCommand());
  cmd.addCommand(makeExplainCommand());
  return cmd;
}
