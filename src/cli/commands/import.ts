import { Command, Option } from 'commander';
import { type Db, openCaseForWrite } from '../../db/open.js';
import { isPostgresUrl } from '../../db/postgres/pg-url.js';
import { groupStraceFfFiles } from '../../capture/strace/ff-group.js';
import { importFile, type ImportResult } from '../../importer/import-file.js';
import { mergeAcrossSources } from '../../importer/merge-sources.js';
import type { RowTarget } from '../../importer/row-target.js';
import { describeLocation, PedigreeError } from '../../util/errors.js';
import { dbOption, outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';
import { ProgressLine } from '../progress.js';

function parseMap(value: string, previous: Record<string, string> = {}): Record<string, string> {
  for (const pair of value.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new PedigreeError('USAGE', `--map expects field=Column pairs, got "${pair}"`);
    previous[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return previous;
}

export function makeImportCommand(): Command {
  const cmd = new Command('import')
    .description('import capture files into the case database (format detected from the content)')
    .argument('<files...>', 'capture files: .scap (plain or gzip), JSON lines, Tetragon, audit, Sysmon, strace, Falco alerts, ps/CSV')
    .addOption(dbOption())
    .addOption(new Option('--format <name>', 'reader to use instead of detecting it'))
    .addOption(new Option('--skip-bad', 'skip damaged records with a warning instead of stopping'))
    .addOption(new Option('--skip-corrupt', 'same as --skip-bad (for .scap block damage)'))
    .addOption(new Option('--host <name>', 'host name for inputs that do not name one'))
    .addOption(new Option('--map <pairs>', 'CSV column mapping, e.g. pid=ProcessId,ppid=ParentProcessId').argParser(parseMap))
    .addOption(new Option('-q, --quiet', 'no progress or warnings on stderr'));
  for (const o of outputOptions()) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Each file is imported atomically: a damaged file leaves the case as it was. A file already in
the case (same sha256) is recognised and skipped.

Examples:
  $ pedigree import samples/story.jsonl
  $ pedigree import nginx.scap audit.log --db incident-42.db
  $ pedigree import hosts.csv --format csv --map pid=ProcessId,ppid=ParentProcessId,name=Name`,
  );
  cmd.action(async (files: string[], opts) => {
    if (isPostgresUrl(opts.db)) {
      // Loaded only for a PostgreSQL case: the pg client is a large share of start-up otherwise.
      const { importIntoPostgres } = await import('../import-postgres.js');
      printImportResults(
        await importIntoPostgres(opts.db, files, (db, file, siblings, rowTarget) => importOne(db, file, siblings, opts, true, rowTarget)),
        opts,
      );
      return;
    }
    const db = openCaseForWrite(opts.db);
    const results: ImportResult[] = [];
    try {
      for (const [file, ...siblings] of groupStraceFfFiles(files) as [string, ...string[]][]) {
        results.push(await importOne(db, file, siblings, opts));
      }
    } finally {
      db.close();
    }
    printImportResults(results, opts);
  });
  return cmd;
}

interface ImportOptions {
  format?: string;
  skipBad?: boolean;
  skipCorrupt?: boolean;
  map?: Record<string, string>;
  host?: string;
  quiet?: boolean;
  json?: boolean;
  csv?: boolean;
}

function importOne(db: Db, file: string, siblings: string[], opts: ImportOptions, scratch = false, rowTarget?: RowTarget): Promise<ImportResult> {
  const progress = new ProgressLine(!opts.quiet && process.stderr.isTTY === true, file);
  return importFile(db, file, {
    siblings,
    scratch,
    rowTarget,
    // Rows streamed to PostgreSQL are read in this thread: with the server parsing on the other
    // core, a worker added CPU (100k JSON-lines execs: 2.9 s against 2.2 s) and no speed.
    ...(rowTarget && process.env.PEDIGREE_IMPORT_WORKER === undefined ? { worker: false } : {}),
    afterWrite: mergeAcrossSources,
    format: opts.format,
    skipBad: Boolean(opts.skipBad || opts.skipCorrupt),
    readerOptions: { map: opts.map, host: opts.host },
    onProgress: (done, total, events) => progress.update(done, total, events),
    onWait: (message) => process.stderr.write(`pedigree: ${message}\n`),
    onWarning: (w) => {
      if (!opts.quiet) process.stderr.write(`warning: ${describeLocation(w.location)}: ${w.message}\n`);
    },
  }).finally(() => progress.done());
}

function printImportResults(results: ImportResult[], opts: ImportOptions): void {
  printRows(
    results.map((r) => ({
      file: r.path,
      capture: r.captureId,
      format: r.format,
      outcome: r.outcome,
      status: r.status,
      events: r.events,
      processes: r.processes,
      execs: r.execs,
      known_execs: r.execsKnown ?? 0,
      warnings: r.warnings,
    })),
    outputMode(opts),
  );
}
