import { Option } from 'commander';
import { PICTURE_FORMATS, renderPicture, type PictureFormat } from '../report/pictures.js';
import type { LineageGraph } from '../report/graph/lineage-graph.js';

/** `--format dot|svg|mermaid`: the lineage commands draw their answer instead of printing text. */
export function pictureFormatOption(): Option {
  return new Option('--format <picture>', 'draw the answer as a picture: dot (Graphviz), svg, or mermaid').choices(PICTURE_FORMATS);
}

export function printPicture(graph: LineageGraph, format: PictureFormat, title: string): void {
  process.stdout.write(renderPicture(graph, format, title));
  if (graph.notDrawn > 0) process.stderr.write(`${graph.notDrawn} more processes below the drawn ones are not drawn\n`);
}
