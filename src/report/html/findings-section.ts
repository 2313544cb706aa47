import type BetterSqlite3 from 'better-sqlite3';
import { isoTime } from '../../format/render-value.js';
import { findingPicture } from '../data/finding-lineage.js';
import type { Finding, FindingGroup } from '../data/findings.js';
import { escapeHtml as h } from '../escape.js';
import { treeSvg } from '../export/svg-tree.js';

/** The page anchor of a finding (the timeline's marks link to it). */
export const findingAnchor = (f: Finding): string => `${f.kind === 'chain' ? 'chain' : 'alert'}-${f.id}`;

const priorityClass = (p: string): string => `prio prio-${p.toLowerCase().replace(/[^a-z]/g, '')}`;

function stepTable(f: Finding): string {
  const rows = f.steps.map((s) => {
    const e = s.exec;
    const where = e?.containerId
      ? `${h(e.containerName ?? '')} <span class="hash">${h(e.containerId)}</span>${e.podName ? ` pod ${h(e.podName)}` : ''}`
      : 'host';
    const link = s.linkedStep ? `${h(s.relation ?? '')} ${h(s.linkedStep)}` : '';
    return `<tr><td class="stepname">${h(s.step)}</td><td>${h(isoTime(s.tsNs) ?? '')}</td><td>${e ? `${h(e.name ?? '?')},${e.pid}` : `exec ${s.execId}`}</td><td class="cmd">${h(e?.cmdline ?? '')}</td><td>${h(e?.user ?? (e?.uid != null ? `uid ${e.uid}` : ''))}</td><td>${e ? `${h(e.host)} · ${where}` : ''}</td><td>${link}</td></tr>`;
  });
  return `<table class="steps"><thead><tr><th>step</th><th>time (UTC)</th><th>process</th><th>command line</th><th>user</th><th>where</th><th>linked</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function findingBlock(db: BetterSqlite3.Database, f: Finding, subtreeLimit: number): string {
  const out: string[] = [`<article class="finding" id="${h(findingAnchor(f))}">`];
  out.push(
    `<h4><span class="${priorityClass(f.priority)}">${h(f.priority)}</span> ${h(isoTime(f.timeNs) ?? 'time unknown')} — ${h(f.hostname ?? '')}${f.containerId ? ` / ${h(f.containerId)}` : ''}</h4>`,
  );
  out.push(`<p class="output">${h(f.output)}</p>`);
  out.push(stepTable(f));
  if (f.steps.length > 0) {
    const pic = findingPicture(db, f.steps, subtreeLimit);
    out.push(`<div class="picture">${treeSvg(pic.graph, { label: `lineage of ${f.name}` })}</div>`);
    if (pic.subtreeNotDrawn > 0) {
      out.push(
        `<p class="note">${pic.subtreeCapped ? 'over ' : ''}${pic.subtreeNotDrawn} more processes under the first step are not drawn (see <code>pedigree descendants ${f.steps[0]?.execId}</code>).</p>`,
      );
    }
  }
  out.push('</article>');
  return out.join('\n');
}

/** Every finding group (chains and alerts), most severe first, with the drawn findings in full. */
export function findingsSection(db: BetterSqlite3.Database, groups: readonly FindingGroup[], subtreeLimit: number): string {
  const total = groups.reduce((n, g) => n + g.count, 0);
  const drawn = groups.reduce((n, g) => n + g.drawn.length, 0);
  const out: string[] = ['<section id="findings"><h2>Findings</h2>'];
  if (groups.length === 0) {
    out.push(
      '<p class="note">No chain matches or alerts are stored in this case for these filters. Run <code>pedigree chains run</code> and <code>pedigree rules run RULES.yaml</code> first.</p></section>',
    );
    return out.join('\n');
  }
  const count = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
  out.push(`<p>${count(total, 'finding', 'findings')} in ${count(groups.length, 'group', 'groups')}; ${drawn.toLocaleString('en-US')} drawn.</p>`);
  out.push(
    '<table class="groups"><thead><tr><th>priority</th><th>kind</th><th>name</th><th>count</th><th>first (UTC)</th><th>last (UTC)</th></tr></thead><tbody>',
  );
  groups.forEach((g, i) => {
    out.push(
      `<tr><td><span class="${priorityClass(g.priority)}">${h(g.priority)}</span></td><td>${g.kind}</td><td><a href="#group-${i}">${h(g.name)}</a></td><td class="num">${g.count.toLocaleString('en-US')}</td><td>${h(isoTime(g.firstNs) ?? '')}</td><td>${h(isoTime(g.lastNs) ?? '')}</td></tr>`,
    );
  });
  out.push('</tbody></table>');
  groups.forEach((g, i) => {
    const table = g.kind === 'chain' ? 'chains WHERE chain' : 'alerts WHERE rule';
    out.push(
      `<div class="group" id="group-${i}"><h3><span class="${priorityClass(g.priority)}">${h(g.priority)}</span> ${h(g.name)} <span class="dim">(${g.kind})</span></h3>`,
    );
    const counted = g.count === 1 ? '1 match' : `${g.count.toLocaleString('en-US')} matches`;
    const drawnText = g.drawn.length === 0 ? 'none drawn (--max-findings reached)' : `the first ${g.drawn.length} drawn`;
    out.push(
      `<p class="group-count">${counted} of ${h(g.name)}${g.drawn.length < g.count ? `; ${drawnText}. All of them: <code>pedigree query "SELECT * FROM ${table} = '${h(g.name.replace(/'/g, "''"))}'"</code>` : ''}</p>`,
    );
    for (const f of g.drawn) out.push(findingBlock(db, f, subtreeLimit));
    out.push('</div>');
  });
  out.push('</section>');
  return out.join('\n');
}
