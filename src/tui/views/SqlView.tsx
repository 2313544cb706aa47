import { Box } from 'ink';
import type { LineEdit } from '../state/line-edit.js';
import { Line } from './Line.js';
import { TableView } from './TableView.js';

/**
 *   sql> SELECT name, count(*) FROM spawned_execs GROUP BY name▏
 *   12 rows in 3.1 ms (read-only; at most 500 rows)
 *     name  count(*)
 */
export function SqlView(props: {
  input: LineEdit;
  inputFocused: boolean;
  status: string;
  table: { header: string; rule: string; rows: string[] } | null;
  cursor: number;
  top: number;
  left: number;
  height: number;
  width: number;
}) {
  const text = props.inputFocused ? `${props.input.text.slice(0, props.input.cursor)}▏${props.input.text.slice(props.input.cursor)}` : props.input.text;
  // Keep the end of a long query (where the cursor usually is) on screen.
  const prompt = `sql> ${text}`;
  const visible = prompt.length > props.width ? `…${prompt.slice(prompt.length - props.width + 1)}` : prompt;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Line text={visible} width={props.width} bold={props.inputFocused} />
      <Line text={props.status} width={props.width} dim />
      {props.table ? (
        <TableView
          {...props.table}
          cursor={props.cursor}
          top={props.top}
          left={props.left}
          height={props.height - 2}
          width={props.width}
          focused={!props.inputFocused}
        />
      ) : null}
    </Box>
  );
}
