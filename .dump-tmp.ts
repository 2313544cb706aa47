import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { scapReader } from './src/capture/scap/scap-reader.js';
const [file, ...pids] = process.argv.slice(2);
const want = new Set(pids.map(Number));
const head = Buffer.alloc(2);
const fd = (await import('node:fs')).openSync(file!, 'r'); (await import('node:fs')).readSync(fd, head, 0, 2, 0);
let stream: NodeJS.ReadableStream = createReadStream(file!);
if (head[0] === 0x1f) stream = stream.pipe(createGunzip());
const ctx = { file: file!, skipBad: false, options: {}, warn: (w: unknown) => console.log('WARN', w), markTruncated: (n: number) => console.log('TRUNC', n), setCaptureInfo: (i: unknown) => console.log('INFO', i) };
for await (const batch of scapReader.read({ stream: stream as any, path: file!, siblings: [] }, ctx)) {
  for (const ev of batch) {
    const e = ev as any;
    if (want.size === 0 ? ev.kind !== 'snapshot' && ev.kind !== 'user' : (want.has(e.pid) || want.has(e.tid) || want.has(e.ppid)))
      console.log(JSON.stringify(ev, (k, v) => typeof v === 'bigint' ? v.toString() : (k === 'env' || k === 'cgroups') ? (v as string[]).length : v));
  }
}
