/**
 * A terminal name (`pts/3`, `pts3`, `tty1`, `?`, `(none)`) as the device number Falco's
 * `proc.tty` shows: pts are major 136, virtual consoles major 4; 0 means no terminal.
 */
const cache = new Map<string, number | undefined>();

export function ttyDevice(name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  if (cache.has(name)) return cache.get(name);
  const dev = parseTty(name);
  if (cache.size < 4096) cache.set(name, dev);
  return dev;
}

function parseTty(name: string): number | undefined {
  const t = name.trim();
  if (t === '' || t === '?' || t === '-' || t === '(none)') return 0;
  let m = /^(?:\/dev\/)?pts\/?(\d+)$/.exec(t);
  if (m) return encodeDev(136, Number(m[1]));
  m = /^(?:\/dev\/)?tty(\d+)$/.exec(t);
  if (m) return encodeDev(4, Number(m[1]));
  m = /^(?:\/dev\/)?ttyS(\d+)$/.exec(t);
  if (m) return encodeDev(4, 64 + Number(m[1]));
  return undefined;
}

/** The kernel's new_encode_dev. */
function encodeDev(major: number, minor: number): number {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}
