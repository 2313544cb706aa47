import { Box } from 'ink';
import { windowTop, type OverviewLine } from '../format/overview-lines.js';
import { Line } from './Line.js';

/**
 *   Hosts (1): Enter opens the host's process tree
 *   › node-1  17 processes
 *   Containers (1): Enter opens the container's process tree
 *     nginx   3f9a1c0e2b7d  docker.io/library/nginx:latest  default/nginx-test  8 proc  0 alerts
 */
export function OverviewView(props: { lines: OverviewLine[]; selectedLine: number; height: number; width: number }) {
  const top = windowTop(props.selectedLine, props.lines.length, props.height);
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {props.lines.slice(top, top + props.height).map((l, i) => {
        const selected = top + i === props.selectedLine;
        const text = l.target ? `${selected ? '›' : ' '}${l.text.slice(1)}` : l.text;
        return <Line key={top + i} text={text} width={props.width} selected={selected} bold={l.heading} />;
      })}
    </Box>
  );
}
