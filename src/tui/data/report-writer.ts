import type BetterSqlite3 from 'better-sqlite3';
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { prepared } from '../../db/statement-cache.js';
import { buildReport } from '../../report/build-report.js';
import type { ReportOptions } from '../../report/report-options.js';

/** What the TUI's report key covers: the selection on screen, or the whole case. */
export type ReportScope = { kind: 'case' } | { kind: 'host'; hostId: number } | { kind: 'container'; containerId: string } | { kind: 'chain'; matchId: number };

export interface WrittenReport {
  path: string;
  findings: number;
  drawn: number;
  seconds: number;
}

function optionsFor(db: BetterSqlite3.Database, scope: ReportScope): { options: ReportOptions; name: string } {
  switch (scope.kind) {
    case 'case':
      return { options: {}, name: 'case' };
    case 'host': {
      const row = prepared(db, 'SELECT hostname FROM hosts WHERE host_id = ?').get(scope.hostId) as { hostname: string } | undefined;
      return { options: row ? { host: row.hostname } : {}, name: `host-${row?.hostname ?? scope.hostId}` };
    }
    case 'container':
      return { options: { container: scope.containerId }, name: `container-${scope.containerId}` };
    case 'chain':
      return { options: { chainMatchId: scope.matchId }, name: `chain-${scope.matchId}` };
  }
}

/**
 * Writes the HTML report of a scope next to where the TUI was started
 * (`pedigree-report-container-3f9a1c0e2b7d.html`, …) and says where it went.
 */
export function writeScopeReport(db: BetterSqlite3.Database, dbPath: string, scope: ReportScope, dir = process.cwd()): WrittenReport {
  const started = performance.now();
  const { options, name } = optionsFor(db, scope);
  const safeName = name.replace(/[^A-Za-z0-9._-]/g, '_');
  const report = buildReport(db, { ...options, title: `pedigree report: ${name}` }, dbPath);
  const path = resolve(dir, `pedigree-report-${safeName}.html`);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, report.html);
  renameSync(temp, path);
  return { path, findings: report.findings, drawn: report.drawn, seconds: (performance.now() - started) / 1000 };
}
