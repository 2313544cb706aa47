import { Box, Text } from 'ink';
import type { ChainMatchRow, ChainStepRow, Page } from '../data/types.js';
import { chainLine, stepLines } from '../format/chain-lines.js';
import { chainPanes } from '../format/layout.js';
import { span, type TimeText } from '../format/times.js';
import { Line } from './Line.js';

const NO_CHAIN_TABLES = 'This case has no chain tables (made before chain rules): run `pedigree chains run RULES --db CASE` to add them.';
const NO_CHAIN_MATCHES = 'No chain matches in this case: `pedigree chains run RULES --db CASE` stores them.';

/**
 *   Chains · 2 matches by start time
 *   › 13:20:17.425  Critical  Web service shell fetches…  node-1/3f9a1c0e2b7d  payload run from /tmp/x …
 *   ─ 3 steps · 13:20:15.016 → 13:20:17.425 (2.4 s) · ←→ select a step · Enter shows it in the tree ─
 *   › shell  13:20:15.016  exec 11  sh,4001  sh -c curl …
 *       (first step)
 */
export function ChainsView(props: {
  available: boolean;
  matches: ChainMatchRow[];
  more: boolean;
  cursor: number;
  top: number;
  steps: Page<ChainStepRow>;
  step: number;
  height: number;
  width: number;
  time: TimeText;
}) {
  if (!props.available) return <Text wrap="truncate-end">{NO_CHAIN_TABLES}</Text>;
  if (props.matches.length === 0) return <Text wrap="truncate-end">{NO_CHAIN_MATCHES}</Text>;
  const { listHeight, stepsHeight } = chainPanes(props.height);
  const shown = props.matches.slice(props.top, props.top + listHeight);
  const selected = props.matches[props.cursor];
  const lines = stepLines(props.steps.items, props.step, props.time);
  if (props.steps.moreAfter) lines.push({ text: '  … more steps (query chain_steps at the SQL prompt)', step: -1 });
  // Keep the selected step's two lines on screen, with the step before it when there is room.
  const stepsTop = Math.max(0, Math.min(props.step * 2 - 2, lines.length - stepsHeight));
  const rule = selected
    ? `─ ${props.steps.items.length} steps · ${props.time(selected.startNs)} → ${props.time(selected.endNs)} (${span(selected.startNs, selected.endNs)}) · ←→ select a step · Enter shows it in the tree `
    : '';
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Line text={`Chains · ${props.matches.length}${props.more ? '+' : ''} matches by start time`} width={props.width} bold />
      <Box flexDirection="column" height={listHeight}>
        {shown.map((m, i) => {
          const isSel = props.top + i === props.cursor;
          return <Line key={m.matchId} text={`${isSel ? '›' : ' '} ${chainLine(m, props.time)}`} width={props.width} selected={isSel} />;
        })}
      </Box>
      <Line text={rule.padEnd(props.width, '─')} width={props.width} dim />
      {lines.slice(stepsTop, stepsTop + stepsHeight).map((l, i) => (
        <Line key={stepsTop + i} text={l.text} width={props.width} bold={l.step === props.step} />
      ))}
    </Box>
  );
}
