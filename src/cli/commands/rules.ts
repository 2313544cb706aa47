import { Command, Option } from 'commander';
import { FieldCoverage } from '../../rules/compile/field-coverage.js';
import type { CompiledRule } from '../../rules/compile/rule-query.js';
import { spellingNotes } from '../../rules/compile/spelling-notes.js';
import { regexNotes } from '../../rules/compile/regex-notes.js';
import { printCondition } from '../../rules/condition/printer.js';
import { loadRulesFiles } from '../../rules/loader/load-rules.js';
import { alertJson, alertLine } from '../../rules/output/alert-format.js';
import type { Priority } from '../../rules/priority.js';
import { compileRules, evaluableRules, selectRules, type RuleReport } from '../../rules/ruleset.js';
import { writeAlerts } from '../../rules/run/alert-writer.js';
import { runCompiledRules, runCompiledRulesWith } from '../../rules/run/rule-runner.js';
import { PedigreeError } from '../../util/errors.js';
import { visible } from '../../util/visible.js';
import { dbOption, outputMode, timeOptions, timeStyle, unusedDbOption } from '../common-options.js';
import { timeFormatter } from '../../format/time-text.js';
import { isoTime } from '../../format/render-value.js';
import { printRows } from '../output.js';
import { withCase, withCaseForWrite } from '../read-case.js';
import { failureText, ruleTimeoutOption } from '../rule-timeout.js';
import { failureJson, printRunStats, runOverCase, timeBoundsOf, type RunOverCaseOptions } from '../run-over-case.js';
import { printableParameters, printWarnings, runOptions, withFalcoDefaultsOption } from './rules-options.js';

/** Per evaluable rule, the fields it reads that the case has no value for (read-only). */
function caseCoverage(db: string, reports: RuleReport[]): string[][] {
  return withCase(db, (ro) => {
    const coverage = new FieldCoverage(ro);
    return reports.map((r) => (r.verdict.status === 'evaluable' ? coverage.gaps([r.verdict.compiled.reduced?.ast ?? r.rule.ast]) : []));
  });
}

/** `; dropped: BRANCH (why)` for a partial rule, so check names what it will not see. */
function droppedText(compiled: CompiledRule): string {
  if (!compiled.reduced) return '';
  return compiled.reduced.dropped.map((d) => `; dropped ${d.branch} (${d.blocking}: ${d.reason})`).join('');
}

function makeCheckCommand(): Command {
  const cmd = new Command('check')
    .description('load Falco rules files and say, per rule, whether the case data can answer it and why not')
    .argument('<files...>', 'Falco rules files, loaded in the order given (as Falco loads them)')
    .addOption(new Option('--json', 'print JSON instead of a table'))
    .addOption(new Option('--csv', 'print CSV instead of a table'))
    .addOption(new Option('-v, --verbose', 'also print unused-macro and unused-list warnings'))
    .addOption(new Option('--db <path>', 'also report, per rule, the fields it reads that no row of this case has a value for'))
    .addOption(withFalcoDefaultsOption())
    .addHelpText(
      'after',
      `
A rule is evaluable when every field it reads is in the process data (see the field table) and
the events it matches are process events (execve, execveat, clone, fork, …). Others name the
field or event type that blocks them.

Examples:
  $ pedigree rules check samples/rules/spawn-shell-in-container.yaml
  $ pedigree rules check --db case.db falco_rules.yaml falco-sandbox_rules.yaml   # and what the case lacks
  $ pedigree rules check falco_rules.yaml falco-incubating_rules.yaml falco-sandbox_rules.yaml`,
    );
  cmd.action((files: string[], opts: { json?: boolean; csv?: boolean; verbose?: boolean; withFalcoDefaults?: boolean; db?: string }) => {
    const ruleset = loadRulesFiles(files, { withFalcoDefaults: Boolean(opts.withFalcoDefaults) });
    printWarnings(ruleset.warnings, Boolean(opts.verbose));
    const reports = compileRules(ruleset.rules);
    const coverage = opts.db ? caseCoverage(opts.db, reports) : undefined;
    const rows = reports.map(({ rule, verdict }, i) => ({
      rule: rule.def.name,
      enabled: rule.def.enabled,
      priority: rule.def.priority,
      verdict: verdict.status === 'evaluable' && verdict.compiled.reduced ? 'partial' : verdict.status,
      detail: [
        verdict.status === 'evaluable'
          ? `on ${verdict.compiled.eventTypes.join(', ') || 'no event types'}${droppedText(verdict.compiled)}`
          : verdict.status === 'not-evaluable'
            ? `${verdict.blocking}: ${verdict.reason}`
            : verdict.message,
        ...spellingNotes(rule.ast, rule.def.output),
        ...regexNotes(rule.ast),
        ...(coverage?.[i] ?? []).map((gap) => `not in this case: ${gap}`),
      ].join('; '),
      file: `${rule.def.context.file}:${rule.def.context.line}`,
    }));
    printRows(rows, outputMode(opts));
    const count = (s: string): number => reports.filter((r) => r.verdict.status === s).length;
    const enabledEvaluable = reports.filter((r) => r.verdict.status === 'evaluable' && r.rule.def.enabled).length;
    const partial = rows.filter((r) => r.verdict === 'partial').length;
    process.stderr.write(
      `${reports.length} rules: ${count('evaluable')} evaluable (${enabledEvaluable} enabled${partial > 0 ? `, ${partial} partial` : ''}), ${count('not-evaluable')} not evaluable, ${count('error')} with errors\n`,
    );
    if (count('error') > 0) process.exitCode = 65;
  });
  return cmd;
}

function makeRunCommand(): Command {
  const cmd = new Command('run')
    .description("run Falco rules over every exec in the case, print the hits in Falco's output format and store them in the alerts table")
    .argument('<files...>', 'Falco rules files, loaded in the order given')
    .addOption(dbOption())
    .addOption(new Option('--json', "print Falco's JSON alert objects, one per line"))
    .addOption(withFalcoDefaultsOption())
    .addOption(new Option('--csv', 'print one CSV row per alert (time, rule, priority, hostname, exec, output)'))
    .addHelpText(
      'after',
      `
Every matching rule is reported for every exec (Falco's rule_matching: all). Text lines start
with the ISO 8601 UTC time; --time-format falco prints Falco's time of day, --tz a zone.

Examples:
  $ pedigree rules run samples/rules/spawn-shell-in-container.yaml --db story.db
  $ pedigree rules run --with-falco-defaults samples/rules/article-spawn-shell.yaml --db story.db
  $ pedigree rules run falco_rules.yaml --min-priority warning --json --db case.db
  $ pedigree rules run falco_rules.yaml --rule 'Terminal shell in container' --since 2024-11-28T13:00:00Z`,
    );
  for (const option of [...runOptions('rule', 'events', 'alerts table'), ruleTimeoutOption('rule'), ...timeOptions()]) cmd.addOption(option);
  cmd.action(async (files: string[], opts: RunOverCaseOptions & { rule?: string[]; minPriority?: Priority; withFalcoDefaults?: boolean }) => {
    const ruleset = loadRulesFiles(files, { withFalcoDefaults: Boolean(opts.withFalcoDefaults) });
    if (!opts.quiet) printWarnings(ruleset.warnings, false);
    const selected = selectRules(ruleset, { ...(opts.rule ? { names: opts.rule } : {}), ...(opts.minPriority ? { minPriority: opts.minPriority } : {}) });
    const reports = compileRules(selected, timeBoundsOf(opts));
    const compiled = evaluableRules(reports);
    const runNs = BigInt(Date.now()) * 1_000_000n;
    const result = await runOverCase(opts, files, {
      inProcess: (db) => runCompiledRules(db, compiled),
      timed: (db, query) => runCompiledRulesWith(db, compiled, query),
      within: (run, scope) => ({ ...run, alerts: run.alerts.filter((a) => scope.has(a.execId)) }),
    });
    if (opts.csv) {
      printRows(
        result.alerts.map((a) => ({ time: isoTime(a.timeNs), rule: a.rule, priority: a.priority, hostname: a.hostname, exec: a.execId, output: a.output })),
        'csv',
        ['time', 'rule', 'priority', 'hostname', 'exec', 'output'],
      );
    } else {
      const time = timeFormatter(timeStyle(opts));
      for (const a of result.alerts) process.stdout.write(`${opts.json ? alertJson(a) : visible(alertLine(a, time))}\n`);
      if (opts.json) for (const f of result.failures) process.stdout.write(`${failureJson('rule', f.rule, f)}\n`);
    }
    if (opts.save && result.alerts.length > 0)
      withCaseForWrite(opts.db, 'saving the alerts of a rules run', (rw) => writeAlerts(rw, result.alerts, files, runNs));
    if (opts.stats)
      printRunStats(
        'rule',
        'hits',
        result.stats.map((s) => ({ name: s.rule, priority: s.priority, hits: s.hits, ms: s.ms })),
      );
    for (const f of result.failures) process.stderr.write(`pedigree: ${failureText('rule', f.rule, f)}\n`);
    if (result.failures.length > 0) process.exitCode = RULE_FAILED_EXIT;
    if (!opts.quiet) {
      const skipped = reports.length - compiled.length;
      const partial = compiled.filter((c) => c.reduced).length;
      process.stderr.write(
        `${compiled.length - result.failures.length} rule${compiled.length - result.failures.length === 1 ? '' : 's'} run${partial > 0 ? ` (${partial} partial: branches over data the case cannot hold dropped)` : ''}, ${result.alerts.length} alert${result.alerts.length === 1 ? '' : 's'}` +
          (result.failures.length > 0 ? `; ${result.failures.length} failed (above)` : '') +
          (skipped > 0 ? `; ${skipped} selected rule${skipped === 1 ? '' : 's'} not evaluable on process data (see pedigree rules check)` : '') +
          '\n',
      );
    }
  });
  return cmd;
}

/** A run where some rules failed while the others ran and printed: the rules file's doing, as with a compile error. */
const RULE_FAILED_EXIT = 65;

function makeExplainCommand(): Command {
  const cmd = new Command('explain')
    .description('show how a rule is compiled: its expanded condition, event types, SQL and parameters')
    .argument('<files...>', 'Falco rules files, loaded in the order given')
    .requiredOption('--rule <name>', 'the rule to explain')
    .addOption(unusedDbOption())
    .addOption(new Option('--json', 'print JSON'))
    .addOption(withFalcoDefaultsOption())
    .addHelpText(
      'after',
      `
Examples:
  $ pedigree rules explain --rule 'Spawn Shell in Container' samples/rules/spawn-shell-in-container.yaml`,
    );
  cmd.action((files: string[], opts: { rule: string; json?: boolean; withFalcoDefaults?: boolean }) => {
    const ruleset = loadRulesFiles(files, { withFalcoDefaults: Boolean(opts.withFalcoDefaults) });
    const [rule] = selectRules(ruleset, { names: [opts.rule] });
    if (!rule) throw new PedigreeError('USAGE', `no rule named '${opts.rule}'`);
    const [report] = compileRules([rule]);
    const verdict = report!.verdict;
    const params = verdict.status === 'evaluable' ? printableParameters(verdict.compiled.parameters) : [];
    const info = {
      rule: rule.def.name,
      file: `${rule.def.context.file}:${rule.def.context.line}`,
      priority: rule.def.priority,
      enabled: rule.def.enabled,
      condition: printCondition(rule.ast),
      notes: [...spellingNotes(rule.ast, rule.def.output), ...regexNotes(rule.ast)],
      verdict: verdict.status === 'evaluable' && verdict.compiled.reduced ? 'partial' : verdict.status,
      ...(verdict.status === 'evaluable' && verdict.compiled.reduced
        ? {
            reduced_condition: printCondition(verdict.compiled.reduced.ast),
            dropped: verdict.compiled.reduced.dropped,
          }
        : {}),
      ...(verdict.status === 'evaluable'
        ? { event_types: verdict.compiled.eventTypes, sql: verdict.compiled.sql, parameters: params }
        : verdict.status === 'not-evaluable'
          ? { blocking: verdict.blocking, reason: verdict.reason }
          : { error: verdict.message }),
    };
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return;
    }
    const lines = [
      `rule:       ${info.rule}`,
      `file:       ${info.file}`,
      `priority:   ${info.priority}${info.enabled ? '' : ' (disabled)'}`,
      `condition:  ${info.condition}`,
      `verdict:    ${info.verdict}`,
      ...info.notes.map((n) => `note:       ${n}`),
    ];
    if (verdict.status === 'evaluable' && verdict.compiled.reduced) {
      lines.push(`reduced:    ${printCondition(verdict.compiled.reduced.ast)}`);
      for (const d of verdict.compiled.reduced.dropped) lines.push(`dropped:    ${d.branch}`, `  because   ${d.reason}`);
    }
    if (verdict.status === 'evaluable') {
      lines.push(`events:     ${verdict.compiled.eventTypes.join(', ')}`, '', verdict.compiled.sql, '', `parameters: ${JSON.stringify(params)}`);
    } else if (verdict.status === 'not-evaluable') {
      lines.push(`blocked by: ${verdict.blocking}`, `reason:     ${verdict.reason}`);
    } else {
      lines.push(`error:      ${verdict.message}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  });
  return cmd;
}

export function makeRulesCommand(): Command {
  const cmd = new Command('rules').description('Falco rules compiled to SQL: check, run and explain them after the fact');
  cmd.addCommand(makeCheckCommand());
  cmd.addCommand(makeRunCommand());
  cmd.addCommand(makeExplainCommand());
  return cmd;
}
