/**
 * One build session as pedigree JSON lines, for the subtree benchmark: an interactive shell under
 * sshd runs `make`, which runs a sub-make per directory, each compiling files through
 * `sh -c` → gcc → cc1 and as. The shell's subtree holds exactly `processes` processes (the shell
 * included), 5–6 levels deep, with the fan-out of a real parallel build. Pids start at 40000
 * (above the 32768 the case generator uses) and timestamps a day after its start, so the session
 * is a later capture of the same host that shares nothing with it but sshd.
 */
import { writeFileSync } from 'node:fs';
import { Rng } from './rng.js';

export const BUILD_ROOT_PID = 40_000;

export function generateBuildTree(path: string, options: { host: string; processes: number; seed?: number }): void {
  const rng = new Rng(options.seed ?? 7);
  const lines: string[] = [];
  let ts = 1_732_800_000_000_000_000n + 86_400_000_000_000n;
  let nextPid = BUILD_ROOT_PID;
  let made = 0;
  const event = (obj: Record<string, unknown>): void => {
    ts += BigInt(1000 + rng.int(50_000));
    lines.push(JSON.stringify({ ...obj, host: options.host, ts: ts.toString() }));
  };
  const spawn = (ppid: number, comm: string, args: string[]): number | undefined => {
    if (made >= options.processes) return undefined;
    const pid = nextPid++;
    made += 1;
    event({ kind: 'fork', pid, ppid });
    event({ kind: 'exec', pid, ppid, comm, exe: comm, exepath: `/usr/bin/${comm}`, args, cwd: '/src', uid: 1000 });
    return pid;
  };
  const exit = (pid: number | undefined): void => {
    if (pid !== undefined) event({ kind: 'exit', pid, code: 0 });
  };

  event({ kind: 'snapshot', pid: 800, ppid: 1, comm: 'sshd', exe: '/usr/sbin/sshd', args: ['-D'], uid: 0 });
  const shell = spawn(800, 'bash', ['-l']) as number;
  const make = spawn(shell, 'make', ['-j2', 'all']);
  for (let dir = 0; make !== undefined && made < options.processes; dir++) {
    const sub = spawn(make, 'make', ['-C', `lib${dir}`, 'all']);
    for (let file = 0; sub !== undefined && file < 8 + rng.int(8) && made < options.processes; file++) {
      const source = `lib${dir}/part${file}.c`;
      const sh = spawn(sub, 'sh', ['-c', `gcc -O2 -c ${source} -o ${source.replace(/\.c$/, '.o')}`]);
      const gcc = sh === undefined ? undefined : spawn(sh, 'gcc', ['-O2', '-c', source]);
      if (gcc !== undefined) {
        exit(spawn(gcc, 'cc1', [source, '-quiet', '-O2']));
        exit(spawn(gcc, 'as', ['-o', source.replace(/\.c$/, '.o')]));
      }
      exit(gcc);
      exit(sh);
    }
    exit(sub);
  }
  exit(make);
  exit(shell);
  writeFileSync(path, `${lines.join('\n')}\n`);
}
