import { spawnSync } from 'node:child_process';

export interface Measured {
  seconds: number;
  /** User + system CPU time of the command: the figure that stays comparable on a loaded machine. */
  cpuSeconds: number;
  maxRssMb: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command under /usr/bin/time -v: wall time and peak RSS of the whole process. */
export function measureCommand(cmd: string, args: string[], env: Record<string, string> = {}): Measured {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  const system = /System time \(seconds\): ([\d.]+)/.exec(r.stderr ?? '');
  return {
    seconds,
    cpuSeconds: user && system ? Number(user[1]) + Number(system[1]) : NaN,
    maxRssMb: rss ? Number(rss[1]) / 1024 : NaN,
    code: r.status ?? -1,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}
