/**
 * Drives `pedigree tui` in tmux on a generated 1M-process case and times the first screen
 * and every keypress, two ways: on the screen (send-keys → capture-pane shows the change;
 * includes tmux and pty delays and the polling) and inside the process (the key's arrival
 * → Ink's next frame, from PEDIGREE_TUI_TRACE).
 *
 *   node --import tsx bench/tui-latency.ts [--processes 1000000] [--containers 2000] [--db /tmp/tui-bench-1m.db]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { TmuxSession } from '../test/tui/support/tmux-driver.js';
import { generateTuiCase } from './tui-case.js';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '1000000' },
    containers: { type: 'string', default: '2000' },
    db: { type: 'string' },
    columns: { type: 'string', default: '120' },
    rows: { type: 'string', default: '40' },
  },
});
const processes = Number(values.processes);
const dbPath = values.db ?? `/tmp/tui-bench-${processes}.db`;
const root = join(import.meta.dirname, '..');
const bin = join(root, 'bin', 'pedigree.js');

if (!existsSync(dbPath)) {
  const t0 = performance.now();
  const r = generateTuiCase(dbPath, { processes, containers: Number(values.containers) });
  process.stderr.write(`generated ${dbPath}: ${r.processes} processes, ${r.alerts} alerts in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor((s.length - 1) / 2)] as number);
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number);
};

// Node + tsx + CLI start-up, which every command pays before any TUI code runs.
const startup: number[] = [];
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  spawnSync(process.execPath, [bin, '--version']);
  startup.push(performance.now() - t0);
}

interface TraceLine {
  event: string;
  t: number;
  input?: string;
  renderTime?: number;
}
const traceFile = `/tmp/tui-bench-trace-${process.pid}.jsonl`;
rmSync(traceFile, { force: true });
const readTrace = (): TraceLine[] =>
  existsSync(traceFile)
    ? readFileSync(traceFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as TraceLine)
    : [];

const t0 = performance.now();
const tmux = new TmuxSession(`PEDIGREE_TUI_TRACE=${traceFile} node ${bin} tui --db ${dbPath}`, { columns: Number(values.columns), rows: Number(values.rows) });
interface StepResult {
  label: string;
  screenMs: number | null;
  frameMs: number | null;
}
const results: StepResult[] = [];
const slow: { label: string; ms: number }[] = [];
try {
  const first = await tmux.waitFor((s) => s.includes('Containers ('), 30_000);
  const firstScreenWall = performance.now() - t0;
  const tr = readTrace();
  const start = tr.find((l) => l.event === 'start');
  const firstFrame = tr.find((l) => l.event === 'frame');

  /** One keypress: wall time until the screen changes; in-process time key → first frame after it. */
  const step = async (label: string, keys: string[], until: (s: string) => boolean = () => true): Promise<string> => {
    const before = readTrace().length;
    let screen = tmux.screen();
    let ms: number | null = null;
    try {
      ({ screen, ms } = await tmux.press(keys, until, { timeoutMs: 5_000 }));
    } catch {
      process.stderr.write(`(no screen change after "${label}")\n`);
    }
    await new Promise((r) => setTimeout(r, 30));
    const lines = readTrace().slice(before);
    const key = lines.find((l) => l.event === 'key');
    const frame = key ? lines.find((l) => l.event === 'frame' && l.t >= key.t) : undefined;
    results.push({ label, screenMs: ms, frameMs: key && frame ? frame.t - key.t : null });
    return screen;
  };
  const waitLong = async (label: string, until: (s: string) => boolean): Promise<void> => {
    const t = performance.now();
    await tmux.waitFor(until, 60_000);
    slow.push({ label, ms: performance.now() - t });
  };

  for (let i = 0; i < 5; i++) await step('overview ↓', ['Down']);
  await step('overview ↑', ['Up']);
  await step('Enter: open container tree', ['Enter'], (s) => s.includes('Tree: container'));
  await step('tree c collapse all', ['c']);
  await step('tree → expand', ['Right']);
  for (let i = 0; i < 8; i++) await step('tree ↓', ['Down']);
  await step('tree → expand', ['Right']);
  await step('tree ↑', ['Up']);
  await step('tree G last', ['G']);
  await step('tree g first', ['g']);
  await step('tree PgDn', ['PageDown']);
  await step('tree p parent', ['p']);
  await step('tree ] sibling', [']']);
  await step('tree c collapse all', ['c']);
  await step('tree → expand', ['Right']);
  await step('tree ↓', ['Down']);
  await step('Tab: ancestry', ['Tab'], (s) => s.includes('select an ancestry step'));
  await step('ancestry ↑', ['Up']);
  await step('ancestry Enter: show in tree', ['Enter']);
  await step('H: host tree around it', ['H'], (s) => s.includes('Tree: host'));
  for (let i = 0; i < 3; i++) await step('tree ↑', ['Up']);
  await step('tree c collapse all', ['c']);
  await step('tree → expand systemd', ['Right']);
  await step('tree ↓ containerd', ['Down']);
  await step('tree → expand (2,000 children, 1st page)', ['Right']);
  await step('tree G last (more row)', ['G']);
  await step('tree Enter: next page of siblings', ['Enter']);
  await step('/ open search', ['/']);
  for (const ch of 'job-77 ') await step('search: type a character', [ch]);
  await step('search Enter (repaint)', ['Enter'], (s) => s.includes('searching') || s.includes('match'));
  await waitLong('search "job-77 " over 1M execs on the worker, until the first match shows', (s) => /match 1\//.test(s) || s.includes('no match'));
  await step('search n', ['n']);
  await step('search N', ['N']);
  await step('3: alerts', ['3'], (s) => s.includes('[3 Alerts]'));
  for (let i = 0; i < 3; i++) await step('alerts ↓', ['Down']);
  await step('alerts p (priority filter)', ['p']);
  await step('alerts Enter: jump to process', ['Enter'], (s) => s.includes('[2 Tree]'));
  await step('Escape: back to tree', ['Escape']);
  await step(': SQL prompt', [':'], (s) => s.includes('sql>'));
  tmux.send(['SELECT name, count(*) AS n FROM execs GROUP BY name ORDER BY n DESC'], true);
  await tmux.waitFor((s) => s.includes('ORDER BY n DESC'), 5_000);
  await step('SQL Enter (repaint)', ['Enter']);
  await waitLong('SQL: name counts over 1M execs on the worker, until the result shows', (s) => / rows .*in [\d.]+ ms/.test(s));
  await step('SQL ↓', ['Down']);
  await step('1: overview', ['1'], (s) => s.includes('[1 Overview]'));
  await step('? help', ['?'], (s) => s.includes('Help: every key'));
  await step('close help', ['x']);

  const keyFrames = results.map((r) => r.frameMs).filter((x): x is number => x !== null);
  const screens = results.map((r) => r.screenMs).filter((x): x is number => x !== null);
  const out = {
    case: { dbPath, processes },
    startupMs: { median: median(startup), runs: startup.map((x) => Math.round(x)) },
    firstScreen: {
      wallMs: Math.round(firstScreenWall),
      inProcessStartToFirstFrameMs: start && firstFrame ? Math.round(firstFrame.t - start.t) : null,
      processStartToFirstFrameMs: firstFrame ? Math.round(firstFrame.t) : null,
      screenLines: first.screen.split('\n').length,
    },
    keys: {
      count: results.length,
      frameMs: { median: median(keyFrames), p95: pct(keyFrames, 95), max: Math.max(...keyFrames) },
      screenMs: { median: median(screens), p95: pct(screens, 95), max: Math.max(...screens) },
      over100msInProcess: results.filter((r) => (r.frameMs ?? 0) > 100).map((r) => `${r.label}: ${r.frameMs?.toFixed(1)} ms`),
    },
    perKey: results.map((r) => ({
      label: r.label,
      screenMs: r.screenMs === null ? null : Math.round(r.screenMs * 10) / 10,
      frameMs: r.frameMs === null ? null : Math.round(r.frameMs * 10) / 10,
    })),
    background: slow.map((s) => ({ label: s.label, ms: Math.round(s.ms) })),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  await step('q quits', ['q'], (s) => s.includes('[exited'));
} finally {
  tmux.kill();
  rmSync(traceFile, { force: true });
}
