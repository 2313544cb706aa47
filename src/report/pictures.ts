import type BetterSqlite3 from 'better-sqlite3';
import { execById } from '../lineage/ancestry.js';
import { findingPicture } from './data/finding-lineage.js';
import { treeDot } from './export/dot.js';
import { treeMermaid } from './export/mermaid.js';
import { treeSvg } from './export/svg-tree.js';
import { mergeGraphs, type LineageGraph } from './graph/lineage-graph.js';

/** The picture formats the lineage commands print with --format. */
export const PICTURE_FORMATS = ['dot', 'svg', 'mermaid'] as const;
export type PictureFormat = (typeof PICTURE_FORMATS)[number];

/** A lineage graph as a standalone document in one of the picture formats. */
export function renderPicture(graph: LineageGraph, format: PictureFormat, title: string): string {
  if (format === 'dot') return treeDot(graph, title);
  if (format === 'mermaid') return treeMermaid(graph);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${treeSvg(graph, { standalone: true, label: title })}\n`;
}

/**
 * One picture of several matches (each a list of named steps): every step's ancestry and the
 * processes under each match's first step, as the report draws a finding.
 */
export function stepsPicture(
  db: BetterSqlite3.Database,
  matches: readonly { steps: readonly { name: string; execId: number }[] }[],
  subtreeLimit = 40,
): LineageGraph {
  const graphs = matches.map((m) => {
    const steps = m.steps.map((s) => ({ step: s.name, execId: s.execId, tsNs: 0n, linkedStep: null, relation: null, exec: execById(db, s.execId) ?? null }));
    return findingPicture(db, steps, subtreeLimit).graph;
  });
  return mergeGraphs(graphs);
}
