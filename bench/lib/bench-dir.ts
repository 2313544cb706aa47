import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';

/** Generated inputs and cases live outside the repository: PEDIGREE_BENCH_DIR or /tmp/pedigree-bench. */
export function benchDir(): string {
  const dir = process.env.PEDIGREE_BENCH_DIR ?? '/tmp/pedigree-bench';
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The 1-minute load average, printed next to every figure: the machine is shared. */
export function loadNow(): string {
  return loadavg()[0]!.toFixed(1);
}
