import type { CaseSource } from '../data/case-source.js';
import type { NavAction, NavState, Screen } from '../state/nav-state.js';
import { alertsKeys } from './keys/alerts-keys.js';
import { ancestryKeys } from './keys/ancestry-keys.js';
import { chainsKeys } from './keys/chains-keys.js';
import { globalKeys } from './keys/global-keys.js';
import { helpKeys } from './keys/help-keys.js';
import { listKeys } from './keys/list-keys.js';
import { promptKeys } from './keys/prompt-keys.js';
import { treeKeys } from './keys/tree-keys.js';
import { useKeyRouter, type KeyRoute } from './keys/use-key-router.js';
import type { AlertsModel } from './use-alerts-model.js';
import type { ChainsModel } from './use-chains-model.js';
import type { DetailModel } from './use-detail-model.js';
import type { OverviewModel } from './use-overview-model.js';
import type { SearchModel } from './use-search.js';
import type { SqlModel } from './use-sql-model.js';
import type { TreeController } from './use-tree-controller.js';
import { selectedProcessId } from '../state/tree-state.js';
import { chainPanes, type Layout } from '../format/layout.js';
import type { ReportScope } from '../data/report-writer.js';
import { errorMessage } from '../../util/errors.js';

export interface AppKeyDeps {
  source: CaseSource;
  layout: Layout;
  getNav: () => NavState;
  dispatchNav: (a: NavAction) => void;
  show: (s: Screen) => void;
  quit: () => void;
  reload: () => void;
  scrollHelp: (delta: number) => void;
  jumpToExec: (execId: number | null) => void;
  overview: OverviewModel;
  tree: TreeController;
  search: SearchModel;
  detail: DetailModel;
  alerts: AlertsModel;
  sql: SqlModel;
  chains: ChainsModel;
}

/** Builds the key handlers of every screen and routes each key to the ones that apply now. */
export function useAppKeys(d: AppKeyDeps): void {
  const { layout, tree, search, detail, alerts, sql, chains, overview } = d;
  /** The selection the report key writes: the overview line, the tree's scope or the chain match. */
  const reportScope = (): ReportScope => {
    const screen = d.getNav().screen;
    if (screen === 'overview') {
      const target = overview.lines[overview.currentLine()]?.target;
      if (target?.kind === 'host') return { kind: 'host', hostId: target.hostId };
      if (target?.kind === 'container') return { kind: 'container', containerId: target.containerId };
    }
    const scope = tree.get().scope;
    if (screen === 'tree' && scope)
      return scope.kind === 'host' ? { kind: 'host', hostId: scope.hostId } : { kind: 'container', containerId: scope.containerId };
    const match = chains.matches[chains.list.cursor];
    if (screen === 'chains' && match) return { kind: 'chain', matchId: match.matchId };
    return { kind: 'case' };
  };
  const global = globalKeys({
    onScreen: d.show,
    onHelp: () => d.dispatchNav({ type: 'help', open: true }),
    onQuit: d.quit,
    onReload: d.reload,
    onReport: () => {
      try {
        const r = d.source.writeReport(reportScope());
        d.dispatchNav({ type: 'notice', text: `report written to ${r.path} (${r.findings} findings, ${r.drawn} drawn, ${r.seconds.toFixed(1)} s)` });
      } catch (err) {
        d.dispatchNav({ type: 'notice', text: `report not written: ${errorMessage(err)}` });
      }
    },
  });
  const help = helpKeys({ scroll: d.scrollHelp, close: () => d.dispatchNav({ type: 'help', open: false }), quit: d.quit });
  const overviewNav = listKeys({
    page: Math.max(1, layout.body - 2),
    move: overview.move,
    onEnter: () => {
      const target = overview.lines[overview.currentLine()]?.target;
      if (!target) return;
      if (target.kind === 'more-containers') return overview.loadMore();
      tree.openScope(target.kind === 'host' ? d.source.hostScope(target.hostId) : d.source.containerScope(target.containerId, target.hostId));
      d.dispatchNav({ type: 'show', screen: 'tree', treeFocus: 'tree' });
    },
  });
  const treeNav = treeKeys({
    tree,
    page: Math.max(1, layout.treeHeight - 2),
    onSearch: () => search.dispatch({ type: 'open' }),
    onStep: search.step,
    onAncestry: () => d.dispatchNav({ type: 'focus', treeFocus: 'ancestry' }),
    onHostTree: () => {
      const s = tree.get();
      const id = selectedProcessId(s);
      const row = id === null ? undefined : s.rows.get(id);
      if (!row) return;
      tree.openScope(d.source.hostScope(row.hostId));
      tree.reveal(row.processId, s.focusExecId);
    },
    onToggleEnv: detail.toggleEnv,
    onEscape: search.cancel,
  });
  const searchPrompt = promptKeys({
    onEdit: (edit) => search.dispatch({ type: 'edit', edit }),
    onSubmit: search.submit,
    onCancel: search.cancel,
    onTab: () => search.dispatch({ type: 'toggle-scope' }),
  });
  const ancestryNav = ancestryKeys({
    page: Math.max(1, layout.detailHeight - 1),
    moveStep: detail.moveStep,
    scroll: detail.scroll,
    openStep: () => {
      if (detail.stepProcessId === null) return;
      tree.reveal(detail.stepProcessId, detail.stepExecId);
      d.dispatchNav({ type: 'focus', treeFocus: 'tree' });
    },
    toggleEnv: detail.toggleEnv,
    back: () => d.dispatchNav({ type: 'focus', treeFocus: 'tree' }),
  });
  const alertsNav = [
    listKeys({ page: Math.max(1, layout.body - 6), move: (delta) => alerts.move({ type: 'move', delta }) }),
    alertsKeys({
      jump: () => {
        const a = alerts.selected();
        if (a) d.jumpToExec(a.execId);
      },
      filter: alerts.startFilter,
      cyclePriority: alerts.cyclePriority,
    }),
  ];
  const alertsFilter = promptKeys({ onEdit: alerts.editFilter, onSubmit: () => alerts.endFilter(true), onCancel: () => alerts.endFilter(false) });
  const sqlPrompt = promptKeys({
    onEdit: sql.edit,
    onSubmit: sql.run,
    onCancel: () => (sql.running ? sql.cancel() : sql.focusInput(false)),
    onTab: () => sql.focusInput(false),
    onHistory: sql.history,
  });
  const sqlResults = listKeys({
    page: Math.max(1, layout.body - 5),
    move: (delta) => sql.move({ type: 'move', delta }),
    sideways: sql.scrollSideways,
    onTab: () => sql.focusInput(true),
    onEnter: () => sql.focusInput(true),
    onEscape: () => sql.focusInput(true),
  });
  const chainsNav = [
    listKeys({ page: Math.max(1, chainPanes(layout.body).listHeight - 1), move: chains.move }),
    chainsKeys({ moveStep: chains.moveStep, jump: () => d.jumpToExec(chains.selectedExecId()) }),
  ];

  useKeyRouter((): KeyRoute => {
    const nav = d.getNav();
    if (nav.helpOpen) return { kind: 'keys', handlers: [help] };
    switch (nav.screen) {
      case 'overview':
        return { kind: 'keys', handlers: [overviewNav, global] };
      case 'tree':
        if (search.get().phase === 'typing') return { kind: 'text', handler: searchPrompt };
        return { kind: 'keys', handlers: [nav.treeFocus === 'ancestry' ? ancestryNav : treeNav, global] };
      case 'alerts':
        if (alerts.isFilterTyping()) return { kind: 'text', handler: alertsFilter };
        return { kind: 'keys', handlers: [...alertsNav, global] };
      case 'sql':
        if (sql.isInputFocused()) return { kind: 'text', handler: sqlPrompt };
        return { kind: 'keys', handlers: [sqlResults, global] };
      case 'chains':
        return { kind: 'keys', handlers: [...chainsNav, global] };
    }
  });
}
