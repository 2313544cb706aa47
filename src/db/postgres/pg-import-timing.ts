/**
 * With PEDIGREE_TIMING set, an import into PostgreSQL prints how long each of its own steps took
 * (and this process's CPU in it: on a loaded machine the wall time says little), in the
 * importer's `timing:` lines (the benchmarks read both).
 */
export function pgImportTimer(): (step: string) => void {
  if (process.env.PEDIGREE_TIMING === undefined) return () => {};
  let last = performance.now();
  let cpu = process.cpuUsage();
  return (step) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    process.stderr.write(`timing: ${step} ${((now - last) / 1000).toFixed(2)} s (process CPU ${((used.user + used.system) / 1e6).toFixed(2)} s)\n`);
    last = now;
    cpu = process.cpuUsage();
  };
}
