import { execFileSync, spawnSync } from 'node:child_process';

/**
 * Drives a program in a detached tmux session on a private tmux server (-L), with a fixed
 * size, and reads the screen back with capture-pane: the closest thing to a person at a
 * terminal that a test can run.
 */
export class TmuxSession {
  readonly socket: string;
  readonly name = 'main';

  constructor(command: string, size: { columns: number; rows: number }, socket = `pedigree-${process.pid}-${Date.now()}`) {
    this.socket = socket;
    // Ink only repaints on a terminal when it does not think it runs under CI.
    const cmd = `env -u CI -u CONTINUOUS_INTEGRATION ${command}; echo "[exited $?]"; sleep 60`;
    this.tmux(['new-session', '-d', '-s', this.name, '-x', String(size.columns), '-y', String(size.rows), cmd]);
  }

  tmux(args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    const r = spawnSync('tmux', ['-L', this.socket, 'capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
    return r.stdout ?? '';
  }

  /** tmux key names (Enter, Tab, Escape, Up, Down, Left, Right, PageDown…) or literal text with `literal`. */
  send(keys: string[], literal = false): void {
    this.tmux(['send-keys', '-t', this.name, ...(literal ? ['-l'] : []), ...keys]);
  }

  /** Polls the screen until `ok` holds; returns the screen and how long it took. */
  async waitFor(ok: (screen: string) => boolean, timeoutMs = 30_000, pollMs = 2): Promise<{ screen: string; ms: number }> {
    const t0 = performance.now();
    for (;;) {
      const screen = this.screen();
      if (ok(screen)) return { screen, ms: performance.now() - t0 };
      if (performance.now() - t0 > timeoutMs) throw new Error(`screen never matched within ${timeoutMs} ms:\n${screen}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Sends keys and waits until the screen differs from before (and satisfies `ok`). */
  async press(
    keys: string[],
    ok: (screen: string) => boolean = () => true,
    options: { literal?: boolean; timeoutMs?: number } = {},
  ): Promise<{ screen: string; ms: number }> {
    const before = this.screen();
    this.send(keys, options.literal);
    return this.waitFor((s) => s !== before && ok(s), options.timeoutMs);
  }

  kill(): void {
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

export function hasTmux(): boolean {
  return spawnSync('tmux', ['-V']).status === 0;
}

/** The line of the screen marked as selected (`›` first), or ''. */
export function selectedLine(screen: string): string {
  return screen.split('\n').find((l) => l.startsWith('›')) ?? '';
}
