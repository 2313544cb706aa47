import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { releaseTerminalStreams } from './terminal-streams.js';

type TuiModule = typeof import('../tui/run-tui.js');

/**
 * The TUI entry point, loaded only when a command needs it so the text commands never pay for
 * ink and react: the one-file bundle the build makes next to it when present, else the module.
 */
export async function loadTui(): Promise<TuiModule> {
  releaseTerminalStreams();
  const bundle = new URL('../tui/run-tui.bundle.js', import.meta.url);
  if (existsSync(fileURLToPath(bundle))) return (await import(bundle.href)) as TuiModule;
  return import('../tui/run-tui.js');
}
