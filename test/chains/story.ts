import { writeFileSync } from 'node:fs';

/**
 * Writes small lineage stories in pedigree's JSON-lines event format (docs/event-format.md), so
 * chain tests can state an attack (and its near misses) as a few lines of who-ran-what.
 * Times are seconds after a fixed base; pids are the caller's.
 */
export interface ExecSpec {
  comm: string;
  exepath: string;
  args?: string[];
  containerId?: string;
  user?: string;
  uid?: number;
}

const BASE_NS = 1_732_800_000_000_000_000n;

export class Story {
  private readonly lines: string[] = [];

  constructor(private readonly host = 'node-1') {
    this.emit({ kind: 'hostinfo', ts: BASE_NS.toString(), bootTs: (BASE_NS - 86_400_000_000_000n).toString() });
  }

  container(id: string, name: string, image: string): this {
    return this.emit({ kind: 'container', ts: BASE_NS.toString(), id, name, image, imageRepository: image.split(':')[0], runtime: 'containerd' });
  }

  /** A process already running when the capture began. */
  running(pid: number, ppid: number, spec: ExecSpec): this {
    return this.emit({ kind: 'snapshot', ts: BASE_NS.toString(), pid, ppid, ...this.image(spec) });
  }

  /** `ppid` forks `pid` at `at` seconds, which execs `spec` a millisecond later. */
  spawn(at: number, pid: number, ppid: number, spec: ExecSpec): this {
    const ts = this.time(at);
    this.emit({ kind: 'fork', ts: ts.toString(), pid, ppid, syscall: 'clone' });
    return this.emit({ kind: 'exec', ts: (ts + 1_000_000n).toString(), pid, ppid, ...this.image(spec) });
  }

  /** `pid` replaces its image (a shell exec'ing its last command in place). */
  execInPlace(at: number, pid: number, ppid: number, spec: ExecSpec): this {
    return this.emit({ kind: 'exec', ts: this.time(at).toString(), pid, ppid, ...this.image(spec) });
  }

  exit(at: number, pid: number, code = 0): this {
    return this.emit({ kind: 'exit', ts: this.time(at).toString(), pid, code });
  }

  write(path: string): string {
    writeFileSync(path, `${this.lines.join('\n')}\n`);
    return path;
  }

  private image(spec: ExecSpec): Record<string, unknown> {
    return {
      comm: spec.comm,
      exe: spec.exepath,
      exepath: spec.exepath,
      args: spec.args ?? [],
      cwd: '/',
      uid: spec.uid ?? 0,
      user: spec.user ?? 'root',
      ...(spec.containerId ? { containerId: spec.containerId } : {}),
    };
  }

  private time(at: number): bigint {
    return BASE_NS + BigInt(Math.round(at * 1000)) * 1_000_000n;
  }

  private emit(event: Record<string, unknown>): this {
    this.lines.push(JSON.stringify({ ...event, host: this.host }));
    return this;
  }
}

export const SH = (args: string[] = [], containerId?: string): ExecSpec => ({ comm: 'sh', exepath: '/bin/sh', args, ...(containerId ? { containerId } : {}) });
export const PROGRAM = (comm: string, exepath: string, args: string[] = [], containerId?: string): ExecSpec => ({
  comm,
  exepath,
  args,
  ...(containerId ? { containerId } : {}),
});
