/**
 * With PEDIGREE_TIMING set, an import into PostgreSQL prints how long each of its own steps took,
 * in the importer's `timing:` lines (the benchmarks read both).
 */
export function pgImportTimer(): (step: string) => void {
  if (process.env.PEDIGREE_TIMING === undefined) return () => {};
  let last = performance.now();
  return (step) => {
    const now = performance.now();
    process.stderr.write(`timing: ${step} ${((now - last) / 1000).toFixed(2)} s\n`);
    last = now;
  };
}
