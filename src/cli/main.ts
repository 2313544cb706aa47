import { Command, CommanderError } from 'commander';
import { isPedigreeError, errorMessage } from '../util/errors.js';
import { PEDIGREE_VERSION } from '../version.js';
import { exitCodeFor, USAGE_EXIT } from './exit-codes.js';
import { installTerminalStreams } from './terminal-streams.js';
import { makeAncestorsCommand } from './commands/ancestors.js';
import { makeCapturesCommand } from './commands/captures.js';
import { makeContainersCommand } from './commands/containers.js';
import { makeCopyCommand } from './commands/copy.js';
import { makeDbCommand } from './commands/db.js';
import { makeDemoCommand } from './commands/demo.js';
import { makeDescendantsCommand } from './commands/descendants.js';
import { makeExecsCommand } from './commands/execs.js';
import { makeFieldsCommand } from './commands/fields.js';
import { makeImportCommand } from './commands/import.js';
import { makeHostsCommand } from './commands/hosts.js';
import { makeRulesCommand } from './commands/rules.js';
import { makeChainsCommand } from './commands/chains.js';
import { makePsCommand } from './commands/ps.js';
import { makeQueriesCommand } from './commands/queries.js';
import { makeQueryCommand } from './commands/query.js';
import { makeReportCommand } from './commands/report.js';
import { makeTreeCommand } from './commands/tree.js';
import { makeTuiCommand } from './commands/tui.js';

/** Builds the whole command tree. Each subcommand lives in its own file under commands/. */
export function buildProgram(): Command {
  const program = new Command('pedigree')
    .description('Process lineage for container forensics: import captures into a SQLite case, ask who started what.')
    .version(PEDIGREE_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ pedigree import capture.scap.gz audit.log --db case.db
  $ pedigree tree --db case.db --container 3f9a1c0e2b7d
  $ pedigree ancestors --pid 4004 --db case.db
  $ pedigree execs -p '%evt.num %proc.name %proc.pname %container.id' --db case.db
  $ pedigree rules run --with-falco-defaults samples/rules/spawn-shell-in-container.yaml --db case.db`,
    );
  program.addCommand(makeImportCommand());
  program.addCommand(makeRulesCommand());
  program.addCommand(makeChainsCommand());
  program.addCommand(makeCapturesCommand());
  program.addCommand(makeContainersCommand());
  program.addCommand(makeHostsCommand());
  program.addCommand(makePsCommand());
  program.addCommand(makeTreeCommand());
  program.addCommand(makeAncestorsCommand());
  program.addCommand(makeDescendantsCommand());
  program.addCommand(makeExecsCommand());
  program.addCommand(makeQueryCommand());
  program.addCommand(makeQueriesCommand());
  program.addCommand(makeFieldsCommand());
  program.addCommand(makeReportCommand());
  program.addCommand(makeTuiCommand());
  program.addCommand(makeDemoCommand(buildProgram));
  program.addCommand(makeCopyCommand());
  program.addCommand(makeDbCommand());
  return program;
}

/** Runs the CLI and returns the process exit code; errors print one line, never a stack. */
export async function runCli(argv: string[]): Promise<number> {
  installTerminalStreams();
  const program = buildProgram();
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    for (const sub of cmd.commands) override(sub);
  };
  override(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Help and --version exit 0; every other commander error is a usage error (unknown option
    // or command, missing argument, bad option value).
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_EXIT;
    if (isPedigreeError(err)) {
      process.stderr.write(`pedigree: ${err.message}\n`);
      return exitCodeFor(err.code);
    }
    process.stderr.write(`pedigree: internal error: ${errorMessage(err)}\n`);
    if (process.env.PEDIGREE_DEBUG) process.stderr.write(`${(err as Error).stack ?? ''}\n`);
    return 70;
  }
}
