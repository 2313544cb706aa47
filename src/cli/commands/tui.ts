import { Command } from 'commander';
import { NOT_A_TERMINAL_MESSAGE, isInteractive } from '../../tui/terminal-check.js';
import { dbOption, timeOptions, timeStyle } from '../common-options.js';
import { loadTui } from '../load-tui.js';

export function makeTuiCommand(): Command {
  const cmd = new Command('tui')
    .description('explore the case in a terminal UI: trees per host and container, detail, ancestry, search, alerts, SQL')
    .addOption(dbOption());
  for (const o of timeOptions()) cmd.addOption(o);
  cmd.addHelpText(
    'after',
    `
Keys: ? lists them all; q quits. The case is opened read-only.

Examples:
  $ pedigree tui --db case.db
  $ pedigree tui --db case.db --tz local`,
  );
  cmd.action(async (opts: { db: string; timeFormat?: string; tz?: string }) => {
    if (!isInteractive()) {
      process.stderr.write(`pedigree: ${NOT_A_TERMINAL_MESSAGE}\n`);
      process.exitCode = 2;
      return;
    }
    const { runTui } = await loadTui();
    await runTui(opts.db, { timeStyle: timeStyle(opts) });
  });
  return cmd;
}
