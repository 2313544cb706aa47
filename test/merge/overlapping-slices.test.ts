import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HAVE_DATASETS, newCase, processes, sample } from '../readers/sample-case.js';
import { hostCounts } from '../support/host-counts.js';

/**
 * Each text format's real sample cut into two overlapping slices (the first 60 % of its records,
 * then the last 60 %), imported as two files in either order: the case must hold what the whole
 * file gives, the same tree (every process under the same parent) and the same rows.
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

/**
 * The tree: per process, its chain of ancestors from its root, each as pid and first image
 * name (kind kept), so an inferred root where the whole file has a real parent shows.
 */
function tree(c: ReturnType<typeof newCase>): Shape {
  const rows = c.db
    .prepare(`SELECT p.process_id, p.parent_process_id, p.pid,
                (SELECT e.kind || ':' || coalesce(e.name, '?') FROM execs e WHERE e.process_id = p.process_id
                 ORDER BY e.ts_ns IS NOT NULL, e.ts_ns, e.exec_id LIMIT 1) AS first
              FROM processes p`)
    .all() as { process_id: bigint; parent_process_id: bigint | null; pid: bigint; first: string | null }[];
  const byId = new Map(rows.map((r) => [r.process_id, r]));
  const path = (r: (typeof rows)[number]): string => {
    const chain: string[] = [];
    for (
      let at: (typeof rows)[number] | undefined = r;
      at && chain.length <= rows.length;
      at = at.parent_process_id === null ? undefined : byId.get(at.parent_process_id)
    ) {
      chain.unshift(`${at.pid}(${at.first ?? '-'})`);
    }
    return chain.join('/');
  };
  return rows.map(path).sort();
}

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
  let reversed: ReturnType<typeof newCase>;
  afterEach(() => {
    whole?.close();
    parts?.close();
    reversed?.close();
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
      reversed = newCase();
      writeFileSync(reversed.path(`a${ext}`), a);
      writeFileSync(reversed.path(`b${ext}`), b);
      await reversed.import(reversed.path(`b${ext}`), opts);
      await reversed.import(reversed.path(`a${ext}`), opts);
      for (const [order, c] of [
        ['a then b', parts],
        ['b then a', reversed],
      ] as const) {
        expect(tree(c), order).toEqual(tree(whole));
        expect(shape(c), order).toEqual(shape(whole));
        expect(hostCounts(c), order).toEqual(hostCounts(whole));
      }
    });
  }
});
