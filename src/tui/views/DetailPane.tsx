import { Box } from 'ink';
import type { DetailLine } from '../format/detail-lines.js';
import { Line } from './Line.js';

/** The detail of the selected exec (fields, ancestry, images, env), scrolled to `top`. */
export function DetailPane(props: { lines: DetailLine[]; top: number; height: number; width: number; selectedStep: number | null; focused: boolean }) {
  const shown = props.lines.slice(props.top, props.top + props.height);
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {shown.map((l, i) => (
        <Line
          key={`${props.top + i}`}
          text={l.text}
          width={props.width}
          bold={l.heading}
          selected={props.focused && l.step !== undefined && l.step === props.selectedStep}
        />
      ))}
    </Box>
  );
}
