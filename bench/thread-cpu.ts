/**
 * Runs a command and prints the CPU time of each of its threads, which says more than the wall
 * time on a loaded machine: which thread bounds the command once a core is free for each.
 *
 *   node --import tsx bench/thread-cpu.ts node bin/pedigree.js import FILE --db new.db -q
 *
 * Each thread's time on a CPU is read from /proc/PID/task/TID/schedstat (nanoseconds) every
 * millisecond while the command runs; a thread's last reading before it ends is its total, so a
 * thread that lives less than a millisecond may be missed. Threads are listed in the order they
 * appeared, with when they were first and last seen (ms after the start): the first is the main
 * thread, then V8's platform threads, libuv's, and worker threads.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) throw new Error('usage: thread-cpu.ts COMMAND [ARGS...]');

interface Seen {
  first: number;
  last: number;
  cpuMs: number;
}
const threads = new Map<string, Seen>();
const started = performance.now();
const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });

function sample(): void {
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${child.pid}/task`);
  } catch {
    return;
  }
  const now = performance.now() - started;
  for (const tid of tids) {
    try {
      const cpuMs = Number(readFileSync(`/proc/${child.pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      const seen = threads.get(tid);
      if (seen) Object.assign(seen, { last: now, cpuMs });
      else threads.set(tid, { first: now, last: now, cpuMs });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
}

const timer = setInterval(sample, 1);
child.on('exit', (code) => {
  clearInterval(timer);
  const wall = performance.now() - started;
  const total = [...threads.values()].reduce((sum, t) => sum + t.cpuMs, 0);
  const lines = [...threads.values()].map(
    (t, i) => `thread ${String(i).padStart(2)}  ${t.cpuMs.toFixed(0).padStart(6)} ms CPU  seen ${t.first.toFixed(0)}–${t.last.toFixed(0)} ms`,
  );
  process.stdout.write(`exit code ${code}, wall ${wall.toFixed(0)} ms, CPU of all threads ${total.toFixed(0)} ms\n${lines.join('\n')}\n`);
});
