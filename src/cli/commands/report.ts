import { Command, Option } from 'commander';
import { renameSync, writeFileSync } from 'node:fs';
import { buildReport } from '../../report/build-report.js';
import { printPdf } from '../../report/pdf.js';
import { DEFAULTS } from '../../report/report-options.js';
import { dbOption } from '../common-options.js';
import { parseIntArg } from '../parse-args.js';
import { withCase } from '../read-case.js';
import { redactUrl } from '../../db/postgres/pg-url.js';
import { parseTimeArg } from '../parse-args.js';
import { priorityOption } from './rules-options.js';

export function makeReportCommand(): Command {
  const cmd = new Command('report')
    .description('write the case as one self-contained HTML page: summary, findings with lineage pictures, timeline')
    .addOption(dbOption())
    .addOption(new Option('--out <file>', 'HTML file to write').default('pedigree-report.html'))
    .addOption(new Option('--since <time>', 'only findings and activity at or after this time (ns, seconds or ISO 8601)').argParser(parseTimeArg))
    .addOption(new Option('--until <time>', 'only findings and activity before this time').argParser(parseTimeArg))
    .addOption(new Option('--host <name>', 'only this host'))
    .addOption(new Option('--container <id>', "only this container (short id), or 'host'"))
    .addOption(new Option('--min-priority <priority>', 'only findings at least this severe').argParser(priorityOption))
    .addOption(
      new Option('--max-findings <n>', 'draw at most n findings in all (every finding is still counted)').argParser(parseIntArg).default(DEFAULTS.maxFindings),
    )
    .addOption(new Option('--title <text>', 'page title'))
    .addOption(new Option('--pdf <file>', 'also print the page to this PDF with headless Chromium'));
  cmd.addHelpText(
    'after',
    `
The report reads the stored findings: run \`pedigree chains run\` and \`pedigree rules run\` first.
It uses no script and fetches nothing; it opens from a USB stick and prints to PDF as shown.

Examples:
  $ pedigree report --db case.db --out incident.html
  $ pedigree report --db case.db --container 3f9a1c0e2b7d --min-priority error --out nginx.html --pdf nginx.pdf`,
  );
  cmd.action((opts) => {
    const started = performance.now();
    const report = withCase(opts.db, (db) =>
      buildReport(
        db,
        {
          ...(opts.since !== undefined ? { sinceNs: opts.since } : {}),
          ...(opts.until !== undefined ? { untilNs: opts.until } : {}),
          ...(opts.host !== undefined ? { host: opts.host } : {}),
          ...(opts.container !== undefined ? { container: opts.container } : {}),
          ...(opts.minPriority !== undefined ? { minPriority: opts.minPriority } : {}),
          ...(opts.title !== undefined ? { title: opts.title } : {}),
          maxFindings: opts.maxFindings,
        },
        redactUrl(opts.db),
      ),
    );
    const temp = `${opts.out}.${process.pid}.tmp`;
    writeFileSync(temp, report.html);
    renameSync(temp, opts.out);
    const kb = Math.ceil(Buffer.byteLength(report.html) / 1024);
    process.stderr.write(
      `wrote ${opts.out} (${kb} KiB): ${report.findings} findings in ${report.groups} groups, ${report.drawn} drawn, in ${((performance.now() - started) / 1000).toFixed(2)} s\n`,
    );
    if (opts.pdf !== undefined) {
      printPdf(opts.out, opts.pdf);
      process.stderr.write(`wrote ${opts.pdf}\n`);
    }
  });
  return cmd;
}
