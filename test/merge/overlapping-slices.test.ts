import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HAVE_DATASETS, newCase, processes, sample } from '../readers/sample-case.js';
import { hostCounts } from '../support/host-counts.js';

/**
 * Each text format's real sample cut into two overlapping slices (the first 60 % of its records,
 * then the last 60 %), imported as two files: the case must hold what the whole file gives.
 * Slices are cut between records (audit: between events, so no event is split).
 */
const SAMPLES: { name: string; file: string; host?: string; recordStart?: RegExp }[] = [
  { name: 'tetragon', file: 'tetragon/testdata/events.json' },
  { name: 'sysmon', file: 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json' },
  { name: 'audit', file: 'laurel-testdata/proc-trace-dpkg-l.txt', host: 'laurel', recordStart: /^type=SYSCALL / },
  { name: 'audit (shell trace)', file: 'laurel-testdata/shell-proc-trace.txt', host: 'laurel', recordStart: /^type=SYSCALL / },
  { name: 'falco-alerts', file: 'falco-doc-samples/falco-website-alerts.jsonl' },
  { name: 'jsonl', file: '' },
];

type Shape = string[];

/** Per process: host, pid, parent pid, exit, and its image names in order (kinds kept). */
function shape(c: ReturnType<typeof newCase>): Shape {
  const alerts = (c.db.prepare('SELECT rule, time_ns FROM alerts ORDER BY time_ns, rule').all() as { rule: string; time_ns: bigint }[]).map(
    (a) => `alert ${a.time_ns} ${a.rule}`,
  );
  return processes(c.db)
    .map((p) => `${p.pid}<${p.parentPid ?? '-'} exit=${p.exitCode ?? '-'} ${p.images.map((i) => `${i.kind}:${i.name}`).join(',')}`)
    .sort()
    .concat(alerts);
}

function slices(text: string, recordStart: RegExp | undefined): [string, string] {
  const lines = text.replace(/\n$/, '').split('\n');
  const starts = lines.map((l, i) => (recordStart === undefined || recordStart.test(l) ? i : -1)).filter((i) => i >= 0);
  const cut = (fraction: number) => starts[Math.min(starts.length - 1, Math.round(starts.length * fraction))]!;
  return [`${lines.slice(0, cut(0.6)).join('\n')}\n`, `${lines.slice(cut(0.4)).join('\n')}\n`];
}

describe.skipIf(!HAVE_DATASETS)('overlapping slices of one source give what the whole file gives', () => {
  let whole: ReturnType<typeof newCase>;
  let parts: ReturnType<typeof newCase>;
  afterEach(() => {
    whole?.close();
    parts?.close();
  });

  const story = new URL('../../samples/story.jsonl', import.meta.url).pathname;
  for (const s of SAMPLES) {
    it(s.name, async () => {
      const path = s.name === 'jsonl' ? story : sample(s.file);
      const opts = s.host ? { readerOptions: { host: s.host } } : {};
      whole = newCase();
      await whole.import(path, opts);
      parts = newCase();
      const [a, b] = slices(readFileSync(path, 'utf8'), s.recordStart);
      const ext = path.slice(path.lastIndexOf('.'));
      writeFileSync(parts.path(`a${ext}`), a);
      writeFileSync(parts.path(`b${ext}`), b);
      await parts.import(parts.path(`a${ext}`), opts);
      await parts.import(parts.path(`b${ext}`), opts);
      expect(shape(parts)).toEqual(shape(whole));
      expect(hostCounts(parts)).toEqual(hostCounts(whole));
    });
  }
});
