/**
 * Waits until the rendered frame satisfies `ok`, yielding to React's scheduler between looks
 * (setImmediate then setTimeout 0) instead of sleeping a fixed time.
 */
export async function waitForFrame(lastFrame: () => string | undefined, ok: (frame: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const frame = lastFrame() ?? '';
    if (ok(frame)) return frame;
    if (Date.now() - start > timeoutMs) throw new Error(`frame never matched; last frame:\n${frame}`);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
  }
}

/** Writes keys and waits for the frame to change (ink-testing-library shows the old frame right after a write). */
export async function press(
  stdin: { write: (s: string) => void },
  lastFrame: () => string | undefined,
  keys: string,
  until: (frame: string) => boolean = () => true,
): Promise<string> {
  const before = lastFrame() ?? '';
  stdin.write(keys);
  return waitForFrame(lastFrame, (f) => f !== before && until(f));
}

export const KEYS = { enter: '\r', esc: '\x1b', tab: '\t', up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D' };
