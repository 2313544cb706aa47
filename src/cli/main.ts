import { Command, CommanderError } from 'commander';
import { isPedigreeError, errorMessage } from '../util/errors.js';
import { PEDIGREE_VERSION } from '../version.js';
import { exitCodeFor, USAGE_EXIT } from './exit-codes.js';
import { installTerminalStreams } from './terminal-streams.js';

/**
 * Each subcommand's module (under commands/), loaded only when that command runs: start-up
 * parses and compiles every module it imports, and all of them together took about 0.3 s of
 * CPU before `import` could begin reading. The order is the order `pedigree --help` lists them in.
 */
const COMMANDS = new Map<string, () => Promise<Command>>([
  ['import', async () => (await import('./commands/import.js')).makeImportCommand()],
  ['rules', async () => (await import('./commands/rules.js')).makeRulesCommand()],
  ['chains', async () => (await import('./commands/chains.js')).makeChainsCommand()],
  ['captures', async () => (await import('./commands/captures.js')).makeCapturesCommand()],
  ['containers', async () => (await import('./commands/containers.js')).makeContainersCommand()],
  ['hosts', async () => (await import('./commands/hosts.js')).makeHostsCommand()],
  ['ps', async () => (await import('./commands/ps.js')).makePsCommand()],
  ['tree', async () => (await import('./commands/tree.js')).makeTreeCommand()],
  ['ancestors', async () => (await import('./commands/ancestors.js')).makeAncestorsCommand()],
  ['descendants', async () => (await import('./commands/descendants.js')).makeDescendantsCommand()],
  ['execs', async () => (await import('./commands/execs.js')).makeExecsCommand()],
  ['query', async () => (await import('./commands/query.js')).makeQueryCommand()],
  ['queries', async () => (await import('./commands/queries.js')).makeQueriesCommand()],
  ['fields', async () => (await import('./commands/fields.js')).makeFieldsCommand()],
  ['report', async () => (await import('./commands/report.js')).makeReportCommand()],
  ['tui', async () => (await import('./commands/tui.js')).makeTuiCommand()],
  ['demo', async () => (await import('./commands/demo.js')).makeDemoCommand(() => buildProgram())],
  ['copy', async () => (await import('./commands/copy.js')).makeCopyCommand()],
  ['db', async () => (await import('./commands/db.js')).makeDbCommand()],
]);

/**
 * Builds the command tree: every command, or with `only` naming one, that command alone (what a
 * run of that command needs; help and errors about it read the same either way), or with `only`
 * false none of them (`pedigree --version` needs none, and loading all took ~0.3 s of CPU).
 */
export async function buildProgram(only?: string | false): Promise<Command> {
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
  const one = typeof only === 'string' ? COMMANDS.get(only) : undefined;
  const makers = only === false ? [] : one ? [one] : [...COMMANDS.values()];
  for (const command of await Promise.all(makers.map((make) => make()))) program.addCommand(command);
  return program;
}

/**
 * The subcommand argv names, when it is one (the first argument, if it is not an option); false
 * for a bare `--version`, which needs no command.
 */
function commandNamed(argv: string[]): string | false | undefined {
  const first = argv[2];
  if (argv.length === 3 && (first === '--version' || first === '-V')) return false;
  return first === undefined || first.startsWith('-') ? undefined : first;
}

/** Runs the CLI and returns the process exit code; errors print one line, never a stack. */
export async function runCli(argv: string[]): Promise<number> {
  installTerminalStreams();
  const command = commandNamed(argv);
  // A large .scap's reading thread boots while the import command loads and opens the case.
  if (command === 'import') (await import('../importer/early-read-thread.js')).startEarlyReadThread(argv.slice(3));
  const program = await buildProgram(command);
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
