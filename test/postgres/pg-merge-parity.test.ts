import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_DATASETS, sample } from '../readers/sample-case.js';
import { freshPgDatabase, PG_TEST_URL, warnSkippedWithoutPg } from '../support/pg-test.js';
import { BIN, runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

warnSkippedWithoutPg('imports merging with what a PostgreSQL case holds');
if (!HAVE_DATASETS) console.warn('SKIPPED PostgreSQL merge parity: ../shared/datasets is not there');

const tmp = tempDir('pedigree-pg-merge-');
afterAll(() => tmp.cleanup());

/** The first 60 % and the last 60 % of a text file's records, cut between records. */
function overlappingSlices(path: string, name: string, recordStart?: RegExp): [string, string] {
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  const starts = lines.map((l, i) => (recordStart === undefined || recordStart.test(l) ? i : -1)).filter((i) => i >= 0);
  const cut = (f: number) => starts[Math.min(starts.length - 1, Math.round(starts.length * f))] as number;
  const ext = path.slice(path.lastIndexOf('.'));
  const a = tmp.path(`${name}-a${ext}`);
  const b = tmp.path(`${name}-b${ext}`);
  writeFileSync(a, `${lines.slice(0, cut(0.6)).join('\n')}\n`);
  writeFileSync(b, `${lines.slice(cut(0.4)).join('\n')}\n`);
  return [a, b];
}

const LIFECYCLE = 'tetragon/docs-sec-obs-ch3/00_process_lifecycle';

/** Several real files of one host, imported one after another (each scenario runs in both orders). */
const SCENARIOS: { name: string; files: () => string[]; args?: string[] }[] = [
  {
    name: 'Tetragon process lifecycle, one file per event',
    files: () =>
      readdirSync(sample(LIFECYCLE))
        .sort()
        .map((f) => sample(`${LIFECYCLE}/${f}`)),
  },
  { name: 'Tetragon export in two overlapping slices', files: () => overlappingSlices(sample('tetragon/testdata/events.json'), 'tetragon') },
  {
    name: 'audit log in two overlapping slices',
    files: () => overlappingSlices(sample('laurel-testdata/shell-proc-trace.txt'), 'audit', /^type=SYSCALL /),
    args: ['--host', 'laurel'],
  },
  {
    name: 'Falco alerts in two overlapping slices',
    files: () => overlappingSlices(sample('falco-doc-samples/falco-website-alerts.jsonl'), 'falco'),
  },
  {
    name: 'one file, the same file again, and its gzip copy',
    files: () => {
      const story = new URL('../../samples/story.jsonl', import.meta.url).pathname;
      const gz = tmp.path('story.jsonl.gz');
      writeFileSync(gz, gzipSync(readFileSync(story)));
      return [story, story, gz];
    },
  },
];

const OUTPUTS = [['ps'], ['ps', '--all'], ['tree'], ['captures'], ['query', 'SELECT exec_id, capture_id, ts_ns, conflict FROM exec_sources ORDER BY 1, 2, 3']];

function cli(args: string[]): string {
  const r = runCli(args);
  expect({ args: args.join(' '), code: r.code, stderr: r.code === 0 ? '' : r.stderr }).toEqual({ args: args.join(' '), code: 0, stderr: '' });
  return r.stdout;
}

describe.skipIf(!PG_TEST_URL || !HAVE_DATASETS)('imports into a PostgreSQL case merge with what it holds, as on SQLite', () => {
  for (const s of SCENARIOS) {
    for (const order of ['in order', 'reversed']) {
      it(`${s.name}, ${order}`, async () => {
        const files = order === 'in order' ? s.files() : s.files().reverse();
        const sqlite = tmp.path(`${s.name.replace(/\W+/g, '-')}-${order.replace(/\W+/g, '-')}.db`);
        const pgCase = await freshPgDatabase();
        try {
          // One file per import command, as separate importers would do it.
          for (const f of files) {
            const a = cli(['import', '-q', f, '--db', sqlite, ...(s.args ?? [])]);
            const b = cli(['import', '-q', f, '--db', pgCase.url, ...(s.args ?? [])]);
            expect({ file: f, pg: b }).toEqual({ file: f, pg: a });
          }
          for (const args of OUTPUTS) {
            expect({ args: args.join(' '), out: cli([...args, '--db', pgCase.url]) }).toEqual({ args: args.join(' '), out: cli([...args, '--db', sqlite]) });
          }
        } finally {
          await pgCase.drop();
        }
      }, 300_000);
    }
  }

  it('two importers of the same host at once take turns: the case is what one order or the other gives on SQLite', async () => {
    const [a, b] = overlappingSlices(sample('laurel-testdata/shell-proc-trace.txt'), 'audit-parallel', /^type=SYSCALL /);
    const trees = new Set<string>();
    for (const order of [
      [a, b],
      [b, a],
    ]) {
      const sqlite = tmp.path(`parallel-${trees.size}.db`);
      for (const f of order) cli(['import', '-q', f as string, '--host', 'laurel', '--db', sqlite]);
      trees.add(cli(['tree', '--host', 'laurel', '--db', sqlite]));
    }
    const pgCase = await freshPgDatabase();
    try {
      cli(['import', '-q', new URL('../../samples/story.jsonl', import.meta.url).pathname, '--db', pgCase.url]); // the schema first
      // Each importer's stderr is kept: a failure shows what the importer said, not only its exit code.
      const importer = (f: string) =>
        new Promise<{ code: number; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'import', '-q', f, '--host', 'laurel', '--db', pgCase.url], { stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.setEncoding('utf8').on('data', (d: string) => {
            stderr += d;
          });
          child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
        });
      const runs = await Promise.all([importer(a), importer(b)]);
      for (const [i, r] of runs.entries()) expect(r.code, `importer ${i + 1} exited ${r.code}; its stderr:\n${r.stderr}`).toBe(0);
      const tree = cli(['tree', '--host', 'laurel', '--db', pgCase.url]);
      expect(trees.has(tree)).toBe(true);
    } finally {
      await pgCase.drop();
    }
  }, 300_000);

  it('the scenarios exist', () => {
    expect(existsSync(sample(LIFECYCLE))).toBe(true);
  });
});
