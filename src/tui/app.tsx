import { Box, Text, useApp } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { CaseSource } from './data/case-source.js';
import { chainPanes, computeLayout } from './format/layout.js';
import { fit } from './format/text.js';
import { timeText } from './format/times.js';
import type { TimeStyle } from '../format/time-text.js';
import { useAlertsModel, minPriorityLabel } from './hooks/use-alerts-model.js';
import { useChainsModel } from './hooks/use-chains-model.js';
import { useDetailModel } from './hooks/use-detail-model.js';
import { useOverviewModel } from './hooks/use-overview-model.js';
import { searchStatus, useSearch } from './hooks/use-search.js';
import { useSqlModel } from './hooks/use-sql-model.js';
import { useAppKeys } from './hooks/use-app-keys.js';
import { useCaseCounts } from './hooks/use-case-counts.js';
import { useCaseWatch } from './hooks/use-case-watch.js';
import { useStore } from './hooks/use-store.js';
import { useTerminalSize, type TerminalSize } from './hooks/use-terminal-size.js';
import { useTreeController } from './hooks/use-tree-controller.js';
import { footerText } from './keymap.js';
import { initialNavState, navReducer, type Screen } from './state/nav-state.js';
import { selectedProcessId } from './state/tree-state.js';
import { AlertsView } from './views/AlertsView.js';
import { ChainsView } from './views/ChainsView.js';
import { DetailPane } from './views/DetailPane.js';
import { Footer } from './views/Footer.js';
import { Header } from './views/Header.js';
import { HelpView } from './views/HelpView.js';
import { OverviewView } from './views/OverviewView.js';
import { SqlView } from './views/SqlView.js';
import { TreeView } from './views/TreeView.js';

export interface AppProps {
  source: CaseSource;
  /** Size to assume when the output stream does not report one (tests). */
  fallbackSize?: TerminalSize;
  /** How often to look whether the case changed (another process imported); 0 = never. */
  watchMs?: number;
  /** How the alert and chain screens print times (`--time-format`, `--tz`); ISO 8601 UTC by default. */
  timeStyle?: TimeStyle;
}

const WATCH_MS = 2000;

/** The whole TUI: models and key hooks wired to views. Data comes only through `source`. */
export function App({ source, fallbackSize, watchMs = WATCH_MS, timeStyle }: AppProps) {
  const time = useMemo(() => timeText(timeStyle), [timeStyle]);
  const { exit } = useApp();
  const size = useTerminalSize(fallbackSize);
  const layout = computeLayout(size.columns, size.rows);
  /** Bumped on each reload (`r`, or the case changed): every model reads the case again. */
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new version reads the summary again
  const summary = useMemo(() => source.summary(), [source, version]);
  const [nav, dispatchNav, getNav] = useStore(navReducer, () => initialNavState);
  const [helpTop, setHelpTop] = useState(0);

  const counts = useCaseCounts(source, version);
  const overview = useOverviewModel(source, summary, counts, version);
  const tree = useTreeController(source);
  const search = useSearch(source, tree);
  const alerts = useAlertsModel(source, Math.max(1, layout.body - 5), nav.screen === 'alerts', version);
  const sql = useSqlModel(source, layout.body);
  const chains = useChainsModel(source, summary.hasChains, nav.screen === 'chains', chainPanes(layout.body).listHeight, version);

  const treeRows = layout.treeHeight - 1;
  useEffect(() => {
    if (tree.state.height !== treeRows) tree.dispatch({ type: 'viewport', height: treeRows });
  }, [tree, treeRows]);

  const selectedId = selectedProcessId(tree.state);
  const treeExecId = tree.state.focusExecId ?? (selectedId === null ? null : (tree.state.rows.get(selectedId)?.execId ?? null));
  const walking = nav.screen === 'tree' && nav.treeFocus === 'ancestry';
  const detail = useDetailModel(source, treeExecId, walking, layout.detailWidth, layout.detailHeight, version, time);

  const reload = useCallback(
    (why: 'asked' | 'changed') => {
      setVersion((v) => v + 1);
      tree.reload();
      dispatchNav({
        type: 'notice',
        text: why === 'asked' ? 'reloaded from the case' : 'the case changed (an import finished): reloaded · r reloads at any time',
      });
    },
    [dispatchNav, tree],
  );
  useCaseWatch(source, watchMs, () => reload('changed'));

  const show = useCallback(
    (screen: Screen) => {
      if (screen === 'tree' && !tree.state.scope) {
        const host = summary.hosts[0];
        if (host) tree.openScope(source.hostScope(host.hostId));
      }
      if (screen === 'tree' || getNav().screen !== screen) dispatchNav({ type: 'show', screen });
      setHelpTop(0);
    },
    [dispatchNav, getNav, source, summary.hosts, tree],
  );

  const quit = useCallback(() => exit(), [exit]);

  /** Opens an exec in the tree (in its container's or host's tree) with its ancestry in focus. */
  const jumpToExec = useCallback(
    (execId: number | null) => {
      const processId = execId === null ? null : source.processOfExec(execId);
      if (execId === null || processId === null) {
        dispatchNav({ type: 'notice', text: 'this row names no exec in the case' });
        return;
      }
      tree.reveal(processId, execId);
      dispatchNav({ type: 'show', screen: 'tree', treeFocus: 'ancestry' });
    },
    [dispatchNav, source, tree],
  );

  useAppKeys({
    source,
    layout,
    getNav,
    dispatchNav,
    show,
    quit,
    reload: () => reload('asked'),
    jumpToExec,
    scrollHelp: (d) => setHelpTop((t) => Math.max(0, t + d)),
    overview,
    tree,
    search,
    detail,
    alerts,
    sql,
    chains,
  });

  const scopeLabel = tree.state.scope?.label ?? null;
  let status = nav.notice ?? '';
  if (nav.screen === 'tree') {
    const found = searchStatus(search.state, scopeLabel ?? 'the tree');
    // The prompt and a running search own the line; a notice (a reload, say) goes before their result.
    if (search.state.phase === 'typing' || search.state.phase === 'running') status = found;
    else if (found) status = status ? `${status} · ${found}` : found;
  }
  if (nav.screen === 'alerts' && alerts.filterTyping) status = 'type a filter (rule, output or priority) · Enter apply · Esc cancel';
  const keysPlace = nav.helpOpen ? 'global' : nav.screen === 'tree' && walking ? 'ancestry' : nav.screen;

  return (
    <Box flexDirection="column" width={layout.width} height={layout.body + 4}>
      <Header summary={summary} counts={counts} screen={nav.screen} scopeLabel={scopeLabel} width={layout.width} />
      <Box height={layout.body} flexDirection="column">
        {nav.helpOpen ? (
          <HelpView height={layout.body} width={layout.width} top={helpTop} />
        ) : nav.screen === 'overview' ? (
          <OverviewView lines={overview.lines} selectedLine={overview.selectedLine} height={layout.body} width={layout.width} />
        ) : nav.screen === 'tree' ? (
          <Box flexDirection={layout.split === 'side' ? 'row' : 'column'}>
            <TreeView
              rows={tree.visible}
              top={tree.state.top}
              height={layout.treeHeight}
              width={layout.treeWidth}
              selectedKey={tree.state.selected}
              focused={!walking}
              title={`Tree: ${scopeLabel ?? 'choose a host or container in the overview (1)'}${walking && layout.split === 'side' ? ' · walking the ancestry →' : ''}`}
            />
            {layout.split === 'side' ? (
              <Box width={1} />
            ) : (
              <Text dimColor>
                {fit(
                  `─ Detail${walking ? ' (walking the ancestry: ↑↓ step, Enter show in tree, Tab back)' : ' (Tab walks the ancestry)'} `.padEnd(
                    layout.width,
                    '─',
                  ),
                  layout.width,
                )}
              </Text>
            )}
            <DetailPane
              lines={detail.lines}
              top={detail.top}
              height={layout.detailHeight}
              width={layout.detailWidth}
              selectedStep={detail.step}
              focused={walking}
            />
          </Box>
        ) : nav.screen === 'alerts' ? (
          <AlertsView
            alerts={alerts.alerts}
            more={alerts.more}
            cursor={alerts.list.cursor}
            top={alerts.list.top}
            height={layout.body}
            width={layout.width}
            filterText={alerts.filterTyping ? alerts.filter.text : alerts.filter.text || ''}
            filterTyping={alerts.filterTyping}
            minPriority={minPriorityLabel(alerts.maxRank)}
            time={time}
          />
        ) : nav.screen === 'sql' ? (
          <SqlView
            input={sql.input}
            inputFocused={sql.inputFocused}
            status={sql.status}
            table={sql.table}
            cursor={sql.list.cursor}
            top={sql.list.top}
            left={sql.left}
            height={layout.body}
            width={layout.width}
          />
        ) : (
          <ChainsView
            available={chains.available}
            matches={chains.matches}
            more={chains.more}
            cursor={chains.list.cursor}
            top={chains.list.top}
            steps={chains.steps}
            step={chains.step}
            height={layout.body}
            width={layout.width}
            time={time}
          />
        )}
      </Box>
      <Footer status={status} keys={footerText(keysPlace)} width={layout.width} />
    </Box>
  );
}
