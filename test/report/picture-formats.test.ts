import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecNode } from '../../src/lineage/exec-node.js';
import { treeDot } from '../../src/report/export/dot.js';
import { mermaidText, treeMermaid } from '../../src/report/export/mermaid.js';
import { treeSvg } from '../../src/report/export/svg-tree.js';
import { graphFromAncestry, graphFromExecs, graphFromTreeRows } from '../../src/report/graph/lineage-graph.js';
import { layoutTree, BOX } from '../../src/report/layout/tree-layout.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/** --format dot|svg|mermaid on the lineage commands, and escaping in each format. */

const dir = tempDir('pedigree-pictures-');
const db = dir.path('demo.db');
beforeAll(() => {
  expect(runCli(['demo', '--no-tui', '--db', db, '--report', dir.path('demo.html')]).code).toBe(0);
});
afterAll(() => dir.cleanup());

function exec(execId: number, parentExecId: number | null, cmdline: string, extra: Partial<ExecNode> = {}): ExecNode {
  return {
    execId,
    processId: execId,
    kind: 'exec',
    host: 'h',
    pid: 100 + execId,
    vpid: null,
    ppid: null,
    name: cmdline.split(' ')[0] ?? null,
    exe: null,
    exepath: null,
    cmdline,
    cwd: null,
    uid: 0,
    user: 'root',
    containerId: null,
    containerName: null,
    podName: null,
    tsNs: 1n,
    res: 0,
    parentExecId,
    processStartNs: 1n,
    processEndNs: null,
    exitCode: null,
    exitSignal: null,
    origin: 'fork',
    ...extra,
  };
}

const HOSTILE = 'sh -c "x\\"; } digraph { evil" ]  `md` #35; </text><script>alert(1)</script>\n\u202e';

describe('escaping per format', () => {
  const graph = graphFromExecs([exec(1, null, 'bash'), exec(2, 1, HOSTILE)], { steps: new Map([[2, ['st"ep']]]) });

  it('DOT: quotes and backslashes escaped, newlines as \\n, so the label cannot end the statement', () => {
    const dot = treeDot(graph);
    const line = dot.split('\n').find((l) => l.startsWith('  e2 ')) ?? '';
    expect(line).toContain('tooltip="sh pid 102 on h, exec 2, process 2\\ncmdline: sh -c \\"x\\\\\\"; } digraph { evil\\" ]');
    // Outside the quoted strings nothing but the attribute syntax remains.
    const unquoted = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    expect(unquoted).toBe('  e2 [label="", tooltip="", fillcolor="", color="", penwidth=2.5, style=""];');
    expect(dot).not.toContain('\u202e');
  });

  it('Mermaid: every syntax character becomes an entity', () => {
    expect(mermaidText('a"b]`#<>;')).toBe('a#34;b#93;#96;#35;#60;#62;#59;');
    const text = treeMermaid(graph);
    const line = text.split('\n').find((l) => l.startsWith('  e2[')) ?? '';
    expect(line).toMatch(/^ {2}e2\["[^"\]`<>]*<br\/>[^"\]`<>]*<br\/>[^"\]`<>]*"\]$/);
    expect(text).toContain('class e2 step');
  });

  it('SVG: text escaped, control and bidi characters made visible', () => {
    const svg = treeSvg(graph, { standalone: true });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&#60;/text&#62;&#60;script&#62;alert(1)&#60;/script&#62;\\x0a\\u{202e}');
  });
});

describe('layout', () => {
  it('never overlaps boxes, top-down for a narrow tree and left to right for a wide one', () => {
    const narrow = layoutTree(graphFromAncestry([exec(3, 2, 'c'), exec(2, 1, 'b'), exec(1, null, 'a')]));
    expect(narrow.direction).toBe('down');
    const wide = layoutTree(
      graphFromTreeRows([
        { node: exec(1, null, 'root'), depth: 0 },
        ...Array.from({ length: 30 }, (_, i) => ({ node: exec(i + 2, 1, `child${i}`), depth: 1 })),
      ]),
    );
    expect(wide.direction).toBe('right');
    for (const layout of [narrow, wide]) {
      for (const a of layout.nodes) {
        for (const b of layout.nodes) {
          if (a === b) continue;
          const apart = a.x + BOX.width <= b.x || b.x + BOX.width <= a.x || a.y + BOX.height <= b.y || b.y + BOX.height <= a.y;
          expect(apart, `${a.node.id} and ${b.node.id}`).toBe(true);
        }
      }
    }
  });

  it('folds a long ancestry into a gap box', () => {
    const chain = Array.from({ length: 50 }, (_, i) => exec(50 - i, 49 - i || null, `p${50 - i}`));
    const g = graphFromAncestry(chain, { maxShown: 10 });
    expect(g.nodes).toHaveLength(11);
    expect(g.nodes.find((n) => n.exec === null)?.omitted).toBe(40);
  });
});

describe('lineage commands draw', () => {
  it('chains run --format dot: every step of both chains filled, the /etc/shadow read among them', () => {
    const r = runCli(['chains', 'run', '--db', db, '--no-save', '-q', '--format', 'dot']);
    expect(r.code, r.stderr).toBe(0);
    const filled = [...r.stdout.matchAll(/^ {2}e\d+ \[label="([^\\]+)\\n.*style="rounded,dashed,filled,bold"/gm)].map((m) => m[1]);
    expect(filled).toEqual(['sh,4001  ▶ shell', 'curl,4002  ▶ fetch', 'cat,4004  ▶ read', 'x,4005  ▶ run']);
  });

  it('ancestors --format mermaid: the chain from the root, the target highlighted', () => {
    const r = runCli(['ancestors', '--pid', '4004', '--db', db, '--format', 'mermaid']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^flowchart LR\n/);
    expect([...r.stdout.matchAll(/ {2}(e\d+) --> (e\d+)/g)]).toHaveLength(5);
    expect(r.stdout).toContain('cat,4004 #9654; target<br/>/etc/shadow');
  });

  it('tree and descendants --format svg: one standalone SVG with a box per process', () => {
    const tree = runCli(['tree', '--db', db, '--format', 'svg']);
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout).toMatch(/^<\?xml [^>]+>\n<svg class="lineage" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(tree.stdout.match(/<g class="node/g)).toHaveLength(17);
    const sub = runCli(['descendants', '--pid', '4001', '--db', db, '--format', 'svg']);
    expect(sub.stdout.match(/<g class="node/g)).toHaveLength(5);
    expect(sub.stdout).toMatch(/<g class="node exited step" data-exec="\d+" data-steps="target"/);
  });

  it('rejects an unknown format', () => {
    const r = runCli(['tree', '--db', db, '--format', 'png']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("argument 'png' is invalid. Allowed choices are dot, svg, mermaid");
  });
});
