import { Box, Text } from 'ink';
import { Line } from './Line.js';

/** Fixed-width result lines with a header, scrolled down by `top` and sideways by `left`. */
export function TableView(props: {
  header: string;
  rule: string;
  rows: string[];
  cursor: number;
  top: number;
  left: number;
  height: number;
  width: number;
  focused: boolean;
}) {
  const cut = (s: string): string => s.slice(props.left);
  const shown = props.rows.slice(props.top, props.top + Math.max(0, props.height - 2));
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Line text={`  ${cut(props.header)}`} width={props.width} bold />
      <Line text={`  ${cut(props.rule)}`} width={props.width} dim />
      {shown.map((r, i) => {
        const sel = props.top + i === props.cursor;
        return <Line key={props.top + i} text={`${sel && props.focused ? '›' : ' '} ${cut(r)}`} width={props.width} selected={sel && props.focused} />;
      })}
      {props.rows.length === 0 ? <Text> (no rows)</Text> : null}
    </Box>
  );
}
