import { appendFileSync } from 'node:fs';

const target = process.env.PEDIGREE_TUI_TRACE;

/**
 * When PEDIGREE_TUI_TRACE names a file, appends `{"event","t",…}` lines to it, t in ms since
 * process start (performance.now()). bench/tui-latency.ts reads them to time key → frame
 * inside the process, apart from the terminal's own delay.
 */
export function trace(event: string, data: Record<string, unknown> = {}): void {
  if (!target) return;
  appendFileSync(target, `${JSON.stringify({ event, t: performance.now(), ...data })}\n`);
}

export const tracing = target !== undefined && target !== '';
