import { Box, Text } from 'ink';
import type { AlertRow } from '../data/types.js';
import { alertLine } from '../format/alert-lines.js';
import { fit, oneLine } from '../format/text.js';
import type { TimeText } from '../format/times.js';
import { Line } from './Line.js';

/**
 *   Alerts · filter: shadow_ · at least: Warning · 2 shown
 *   › Critical  13:20:16.421  Read sensitive file  cat 4004 {3f9a1c0e2b7d}
 *   ─ output ─
 *   Sensitive file opened (user=nginx command=cat /etc/shadow …)
 */
export function AlertsView(props: {
  alerts: AlertRow[];
  more: boolean;
  cursor: number;
  top: number;
  height: number;
  width: number;
  filterText: string;
  filterTyping: boolean;
  minPriority: string;
  time: TimeText;
}) {
  const outputLines = 3;
  const listHeight = Math.max(1, props.height - 2 - outputLines);
  const shown = props.alerts.slice(props.top, props.top + listHeight);
  const selected = props.alerts[props.cursor];
  const filter = props.filterTyping ? `filter: ${props.filterText}▏` : `filter: ${props.filterText || '(none)'}`;
  const output = selected ? oneLine(selected.output) : '';
  const room = Math.max(1, props.width);
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Line text={`Alerts · ${filter} · at least: ${props.minPriority} · ${props.alerts.length}${props.more ? '+' : ''} shown`} width={props.width} bold />
      {props.alerts.length === 0 ? <Text> (no alerts match)</Text> : null}
      {shown.map((a, i) => {
        const isSel = props.top + i === props.cursor;
        return <Line key={a.alertId} text={`${isSel ? '›' : ' '} ${alertLine(a, props.time)}`} width={props.width} selected={isSel} />;
      })}
      <Box flexGrow={1} />
      <Line text="─ output of the selected alert (Enter jumps to its process) ─" width={props.width} dim />
      {Array.from({ length: outputLines }, (_, i) => (
        <Text key={i} wrap="truncate-end">
          {fit(output.slice(i * room, (i + 1) * room), props.width)}
        </Text>
      ))}
    </Box>
  );
}
