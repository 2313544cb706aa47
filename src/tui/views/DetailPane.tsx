import { Box } from 'ink';
import type { DetailLine } from '../format/detail-lines.js';
import { Line } from './Line.js';

/**
 * The detail of an exec (fields, ancestry, images, env). Its first line (which exec this is)
 * stays put; the rest scrolls from `top`.
 */
export function DetailPane(props: { lines: DetailLine[]; top: number; height: number; width: number; selectedStep: number | null; focused: boolean }) {
  const [first, ...body] = props.lines;
  const shown = first ? [first, ...body.slice(props.top, props.top + props.height - 1)] : [];
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      {shown.map((l, i) => (
        <Line
          key={`${i === 0 ? 0 : props.top + i}`}
          text={l.text}
          width={props.width}
          bold={l.heading}
          selected={props.focused && l.step !== undefined && l.step === props.selectedStep}
        />
      ))}
    </Box>
  );
}
