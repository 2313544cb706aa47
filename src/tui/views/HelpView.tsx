import { Box } from 'ink';
import { KEYMAP, type KeyPlace } from '../keymap.js';
import { Line } from './Line.js';

const TITLES: Record<KeyPlace, string> = {
  global: 'Everywhere (except while typing)',
  overview: 'Overview',
  tree: 'Process tree',
  ancestry: 'Ancestry pane (Tab from the tree)',
  alerts: 'Alerts',
  chains: 'Chains',
  sql: 'SQL prompt',
};

/** Every key from the keymap, grouped by where it works; two columns when the terminal is wide. */
function helpLines(): { text: string; heading?: boolean }[] {
  const out: { text: string; heading?: boolean }[] = [];
  for (const place of Object.keys(TITLES) as KeyPlace[]) {
    out.push({ text: TITLES[place], heading: true });
    for (const k of KEYMAP.filter((x) => x.place === place)) out.push({ text: `  ${k.keys.padEnd(10)} ${k.does}` });
  }
  return out;
}

export function HelpView(props: { height: number; width: number; top: number }) {
  const lines = helpLines();
  const columns = props.width >= 110 ? 2 : 1;
  const colWidth = Math.floor(props.width / columns);
  const perColumn = Math.max(1, props.height - 1);
  const start = Math.min(props.top, Math.max(0, lines.length - perColumn * columns));
  const cols = Array.from({ length: columns }, (_, c) => lines.slice(start + c * perColumn, start + (c + 1) * perColumn));
  return (
    <Box flexDirection="column" width={props.width} height={props.height}>
      <Line text="Help: every key (↑↓ scroll, any other key closes)" width={props.width} bold />
      <Box flexDirection="row">
        {cols.map((col, c) => (
          <Box key={c} flexDirection="column" width={colWidth}>
            {col.map((l, i) => (
              <Line key={i} text={l.text} width={colWidth - 1} bold={l.heading} />
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
