import { Box, Text } from 'ink';
import { processLabel } from '../format/process-line.js';
import type { VisibleRow } from '../state/tree-rows.js';
import { Line } from './Line.js';

/** The selected row is marked `›` while the tree has the keys, `*` while the ancestry pane has them. */
function rowText(r: VisibleRow, selected: boolean, focused = true): string {
  const mark = selected ? (focused ? '›' : '*') : ' ';
  if (r.kind === 'more') return `${mark}  ${r.guides}… ${r.side === 'before' ? 'earlier' : 'more'} siblings (Enter loads)`;
  return `${mark}${r.row.alerted ? '!' : ' '} ${r.guides}${processLabel(r.row, r.expanded)}`;
}

/**
 * The visible window of the lazy tree:
 *
 *   › ! [-] sh 4001 exit 0 (4)  -c curl -s -o /tmp/x …
 *        ├─     curl 4002 exit 0  -s -o /tmp/x http://…
 */
export function TreeView(props: {
  rows: VisibleRow[];
  top: number;
  height: number;
  width: number;
  selectedKey: string | null;
  focused: boolean;
  title: string;
}) {
  const shown = props.rows.slice(props.top, props.top + props.height - 1);
  // Where the cursor is among the rows the open branches show (not a count of processes).
  const at = props.rows.findIndex((r) => r.key === props.selectedKey) + 1;
  const position = props.rows.length === 0 ? '' : ` · row ${at} of ${props.rows.length} open`;
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Line text={`${props.title}${position}`} width={props.width} bold={props.focused} dim={!props.focused} />
      {shown.length === 0 ? <Text> (no processes)</Text> : null}
      {shown.map((r) => {
        const selected = r.key === props.selectedKey;
        return (
          <Line
            key={r.key}
            text={rowText(r, selected, props.focused)}
            width={props.width}
            selected={selected && props.focused}
            color={r.kind === 'process' && r.row.alerted ? 'red' : undefined}
          />
        );
      })}
    </Box>
  );
}
