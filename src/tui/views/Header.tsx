import { Box, Text } from 'ink';
import type { CaseCounts, CaseSummary } from '../data/types.js';
import { count, fit } from '../format/text.js';
import { fullTime, span } from '../format/times.js';
import type { Screen } from '../state/nav-state.js';

const TABS: { screen: Screen; key: string; label: string }[] = [
  { screen: 'overview', key: '1', label: 'Overview' },
  { screen: 'tree', key: '2', label: 'Tree' },
  { screen: 'alerts', key: '3', label: 'Alerts' },
  { screen: 'chains', key: '4', label: 'Chains' },
  { screen: 'sql', key: ':', label: 'SQL' },
];

/**
 *   pedigree  story.db  node-1  2024-11-28 13:20:00.000 → 13:20:36.728 UTC (36.7 s)
 *   1 Overview [2 Tree] 3 Alerts 4 Chains : SQL │ container nginx …  17 processes · 10 execs · 1 containers · 2 alerts
 *
 * Processes are process rows (tree lines, `pedigree ps --all`); execs are execve images
 * (`pedigree execs --all`). Both are counted on a worker: "counting…" until they arrive.
 */
export function Header(props: { summary: CaseSummary; counts: CaseCounts | null; screen: Screen; scopeLabel: string | null; width: number }) {
  const s = props.summary;
  const hosts = s.hosts.map((h) => h.hostname).join(', ') + (s.hostsMore ? ', …' : '');
  const when =
    s.firstNs === null ? 'no events' : `${fullTime(s.firstNs).slice(0, 23)} → ${fullTime(s.lastNs).slice(11, 23)} UTC (${span(s.firstNs, s.lastNs)})`;
  const line1 = `pedigree  ${s.dbPath}  ${hosts}  ${when}`;
  const rows = props.counts ? `${count(props.counts.processes)} processes · ${count(props.counts.execs)} execs` : 'counting processes…';
  const counts = `${rows} · ${count(s.containerCount)} containers · ${count(s.alertCount)} alerts${s.chainMatchCount > 0 ? ` · ${count(s.chainMatchCount)} chains` : ''}`;
  const tabs = TABS.map((t) => (t.screen === props.screen ? `[${t.key} ${t.label}]` : `${t.key} ${t.label}`)).join(' ');
  const scope = props.screen === 'tree' && props.scopeLabel ? ` │ ${props.scopeLabel}` : '';
  return (
    <Box flexDirection="column" width={props.width}>
      <Text bold wrap="truncate-end">
        {fit(line1, props.width)}
      </Text>
      <Text wrap="truncate-end">{fit(`${tabs}${scope}  ${counts}`, props.width)}</Text>
    </Box>
  );
}
