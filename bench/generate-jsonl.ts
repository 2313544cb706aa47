/** Writes a generated JSON-lines capture: node --import tsx bench/generate-jsonl.ts OUT EXECS */
import { generateJsonl } from './lib/generate-jsonl.js';

const [out, count] = process.argv.slice(2);
if (!out || !count) {
  process.stderr.write('usage: node --import tsx bench/generate-jsonl.ts OUT.jsonl EXEC_COUNT\n');
  process.exit(2);
}
const t0 = Date.now();
const r = await generateJsonl(out, { execs: Number(count) });
process.stdout.write(`${out}: ${r.events} events, ${r.execs} execs in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
