import { Command } from 'commander';
import { NOT_A_TERMINAL_MESSAGE, isInteractive } from '../../tui/terminal-check.js';
import { dbOption } from '../common-options.js';
import { loadTui } from '../load-tui.js';

export function makeTuiCommand(): Command {
  const cmd = new Command('tui')
    .description('explore the case in a terminal UI: trees per host and container, detail, ancestry, search, alerts, SQL')
    .addOption(dbOption());
  cmd.addHelpText(
    'after',
    `
Keys: ? lists them all; q quits. The case is opened read-only.

Examples:
  $ pedigree tui --db case.db`,
  );
  cmd.action(async (opts: { db: string }) => {
    if (!isInteractive()) {
      process.stderr.write(`pedigree: ${NOT_A_TERMINAL_MESSAGE}\n`);
      process.exitCode = 2;
      return;
    }
    const { runTui } = await loadTui();
    await runTui(opts.db);
  });
  return cmd;
}
