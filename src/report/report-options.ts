/** What a report covers and how much of it is drawn. */
export interface ReportOptions {
  /** ns since the epoch; findings and the timeline start here. */
  sinceNs?: bigint;
  untilNs?: bigint;
  /** Hostname. */
  host?: string;
  /** Short container id, or `host` for processes outside any container. */
  container?: string;
  /** Only this chain match (chains.chain_match_id); no alerts. */
  chainMatchId?: number;
  /** Only findings at least this severe (a Falco priority name). */
  minPriority?: string;
  /** At most this many findings are drawn, over all groups. */
  maxFindings?: number;
  /** At most this many findings of one rule or chain are drawn. */
  drawnPerGroup?: number;
  /** Processes drawn under a finding's first step. */
  subtreeLimit?: number;
  /** A title for the page (the case file name when absent). */
  title?: string;
}

export const DEFAULTS = { maxFindings: 100, drawnPerGroup: 20, subtreeLimit: 40 } as const;
