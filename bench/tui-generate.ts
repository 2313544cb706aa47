/** Writes the TUI benchmark's case: node --import tsx bench/tui-generate.ts OUT.db [PROCESSES] [CONTAINERS] */
import { generateTuiCase } from './tui-case.js';

const [out, processes = '1000000', containers = '2000'] = process.argv.slice(2);
if (!out) {
  process.stderr.write('usage: node --import tsx bench/tui-generate.ts OUT.db [PROCESSES] [CONTAINERS]\n');
  process.exit(2);
}
const t0 = performance.now();
const r = generateTuiCase(out, { processes: Number(processes), containers: Number(containers) });
process.stdout.write(`${out}: ${r.processes} processes, ${r.alerts} alerts in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
