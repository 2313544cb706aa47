/** True when both ends are a terminal: the TUI needs raw keys in and cursor control out. */
export function isInteractive(stdin: { isTTY?: boolean } = process.stdin, stdout: { isTTY?: boolean } = process.stdout): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}

export const NOT_A_TERMINAL_MESSAGE = `pedigree tui needs a terminal (stdin and stdout must both be a TTY).
For scripts and pipes use the text commands on the same case:
  pedigree tree --db CASE [--container ID]     process trees
  pedigree ancestors --pid PID --db CASE       who started a process
  pedigree ps --db CASE                        process list
  pedigree query "SELECT …" --db CASE          ad-hoc read-only SQL`;
