import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readerByName } from '../../src/capture/formats.js';
import type { ReaderContext } from '../../src/capture/reader.js';
import type { LineageEvent } from '../../src/events/lineage-event.js';
import { CAPTURES_DIR, HAVE_CAPTURES } from '../scap/shared-captures.js';
import { HAVE_DATASETS, newCase, processes, sample } from '../readers/sample-case.js';

/**
 * Every bundled reader's real sample, paired with the same events in pedigree's own JSON-lines
 * format (what another tool's export of the same machine looks like to the linker): the sample
 * whole, then the JSON lines of its second 60 % (an overlapping slice), give what the sample
 * alone gives; and in the other order, the JSON lines of its first 60 %, then the sample.
 */
const PAIRS: { format: string; file: () => string; host?: string; bytes?: (b: Buffer) => Buffer }[] = [
  { format: 'scap', file: () => join(CAPTURES_DIR, 'bencer-examples__example4-1.scap'), bytes: (b) => (b[0] === 0x1f ? gunzipSync(b) : b) },
  { format: 'tetragon', file: () => sample('tetragon/testdata/events.json') },
  { format: 'sysmon', file: () => sample('otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json') },
  { format: 'audit', file: () => sample('laurel-testdata/proc-trace-dpkg-l.txt'), host: 'laurel' },
  { format: 'strace', file: () => sample('strace-generated/basic.ttt.txt'), host: 'tracer' },
  { format: 'falco-alerts', file: () => sample('falco-doc-samples/falco-website-alerts.jsonl') },
];

async function readEvents(format: string, path: string, host: string | undefined, bytes: Buffer): Promise<LineageEvent[]> {
  const ctx: ReaderContext = { file: path, skipBad: false, options: host ? { host } : {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
  const out: LineageEvent[] = [];
  for await (const batch of readerByName(format).read({ stream: Readable.from([bytes]), path, siblings: [] }, ctx)) out.push(...batch);
  return out;
}

/** An event as a line of pedigree's JSON-lines format (positions and ordinals belong to the original file). */
function toJsonLine(ev: LineageEvent): string {
  const { pos: _pos, evtNum: _evtNum, ...rest } = ev as LineageEvent & { pos?: unknown; evtNum?: unknown };
  return JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

function shape(c: ReturnType<typeof newCase>): string[] {
  const alerts = (c.db.prepare('SELECT rule, time_ns FROM alerts ORDER BY time_ns, rule').all() as { rule: string; time_ns: bigint }[]).map(
    (a) => `alert ${a.time_ns} ${a.rule}`,
  );
  return processes(c.db)
    .map(
      (p) =>
        `${p.pid}<${p.parentPid ?? '-'} exit=${p.exitCode ?? '-'} ${p.images
          .filter((i) => i.kind !== 'fork')
          .map((i) => `${i.kind}:${i.name}`)
          .join(',')}`,
    )
    .sort()
    .concat(alerts);
}

describe.skipIf(!HAVE_DATASETS || !HAVE_CAPTURES)('each bundled format with the same events from another source', () => {
  const cases: ReturnType<typeof newCase>[] = [];
  afterEach(() => {
    for (const c of cases.splice(0)) c.close();
  });

  for (const p of PAIRS) {
    it(`${p.format} × jsonl, both orders`, async () => {
      const path = p.file();
      const raw = readFileSync(path);
      const events = (await readEvents(p.format, path, p.host, p.bytes ? p.bytes(raw) : raw)).filter((e) => e.kind !== 'user');
      // A capture opens with its process table: both slices keep it whole, the events after it are cut.
      const table = events.filter((e) => e.kind === 'snapshot' && e.ts === 0n).map(toJsonLine);
      const rest = events.filter((e) => !(e.kind === 'snapshot' && e.ts === 0n)).map(toJsonLine);
      const cut = (f: number) => Math.round(rest.length * f);
      const lines = { slice: (from: number, to?: number) => [...table, ...rest.slice(from, to)] };
      const opts = p.host ? { readerOptions: { host: p.host } } : {};

      const alone = newCase();
      cases.push(alone);
      await alone.import(path, opts);
      const expected = shape(alone);
      expect(expected.length).toBeGreaterThan(0);

      const later = newCase();
      cases.push(later);
      const tail = later.path('tail.jsonl');
      writeFileSync(tail, `${lines.slice(cut(0.4)).join('\n')}\n`);
      await later.import(path, opts);
      await later.import(tail);
      expect(shape(later)).toEqual(expected);

      const earlier = newCase();
      cases.push(earlier);
      const head = earlier.path('head.jsonl');
      writeFileSync(head, `${lines.slice(0, cut(0.6)).join('\n')}\n`);
      await earlier.import(head);
      await earlier.import(path, opts);
      expect(shape(earlier)).toEqual(expected);
    });
  }
});
