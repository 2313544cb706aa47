// The ceiling for JSON-lines import: read the file in 1 MiB chunks, split lines, JSON.parse each.
import { createReadStream } from 'node:fs';

let n = 0;
let carry = null;
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
  let start = 0;
  let nl;
  while ((nl = buf.indexOf(10, start)) >= 0) {
    if (nl > start) {
      JSON.parse(buf.toString('utf8', start, nl));
      n++;
    }
    start = nl + 1;
  }
  carry = start < buf.length ? buf.subarray(start) : null;
}
process.stdout.write(`${n}\n`);
