import { render } from 'ink';
import { createElement } from 'react';
import { PedigreeError } from '../util/errors.js';
import type { TimeStyle } from '../format/time-text.js';
import { App } from './app.js';
import { openCaseSource } from './data/case-source.js';
import { NOT_A_TERMINAL_MESSAGE, isInteractive } from './terminal-check.js';
import { trace, tracing } from './trace.js';

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';

/**
 * Opens the case read-only and runs the TUI until the user quits, on the terminal's alternate
 * screen (restored on exit, as htop and less do).
 *
 *   await runTui('case.db');
 *   await runTui('case.db', { timeStyle: { format: 'iso', tz: 'Europe/Berlin' } });
 */
export async function runTui(dbPath: string, options: { timeStyle?: TimeStyle } = {}): Promise<void> {
  if (!isInteractive()) throw new PedigreeError('USAGE', NOT_A_TERMINAL_MESSAGE);
  trace('start');
  const source = openCaseSource(dbPath);
  process.stdout.write(ALT_SCREEN_ON);
  try {
    const instance = render(createElement(App, { source, ...(options.timeStyle ? { timeStyle: options.timeStyle } : {}) }), {
      exitOnCtrlC: true,
      patchConsole: true,
      maxFps: 60,
      ...(tracing ? { onRender: ({ renderTime }: { renderTime: number }) => trace('frame', { renderTime }) } : {}),
    });
    await instance.waitUntilExit();
  } finally {
    process.stdout.write(ALT_SCREEN_OFF);
    await source.close();
  }
}
