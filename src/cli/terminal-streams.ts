import { visibleText } from '../util/visible.js';

/**
 * The one gate every text byte passes on its way out: stdout and stderr writes are filtered so
 * no control character other than newline and tab reaches the terminal, whatever the code that
 * wrote it forgot (formatters already escape evidence values with `visible`). A reader that
 * closes the pipe early (`pedigree tree | head -1`) ends the command quietly with status 0.
 */

type Write = typeof process.stdout.write;

interface Installed {
  stdout: Write;
  stderr: Write;
  onError: (err: NodeJS.ErrnoException) => void;
}

let installed: Installed | null = null;

function filtered(original: Write, stream: NodeJS.WriteStream): Write {
  return function write(this: unknown, chunk: unknown, ...rest: unknown[]): boolean {
    if (stream.destroyed) return true;
    const text =
      typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : String(chunk);
    return (original as (c: string, ...r: unknown[]) => boolean).call(stream, visibleText(text), ...rest);
  } as Write;
}

/** Exit status when stdout's reader went away: quiet success, as `cmd | head` expects. */
const BROKEN_PIPE_STATUS = 0;

export function installTerminalStreams(): void {
  if (installed) return;
  const onError = (err: NodeJS.ErrnoException): void => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') process.exit(BROKEN_PIPE_STATUS);
    throw err;
  };
  installed = { stdout: process.stdout.write, stderr: process.stderr.write, onError };
  process.stdout.write = filtered(installed.stdout, process.stdout);
  process.stderr.write = filtered(installed.stderr, process.stderr);
  process.stdout.on('error', onError);
  process.stderr.on('error', onError);
}

/** Gives the streams back unfiltered (the TUI draws with escape sequences of its own). */
export function releaseTerminalStreams(): void {
  if (!installed) return;
  process.stdout.write = installed.stdout;
  process.stderr.write = installed.stderr;
  process.stdout.off('error', installed.onError);
  process.stderr.off('error', installed.onError);
  installed = null;
}

/** Writes pedigree's own terminal control (progress line redraws) past the filter. */
export function writeRawToStderr(text: string): void {
  (installed?.stderr ?? process.stderr.write).call(process.stderr, text);
}
