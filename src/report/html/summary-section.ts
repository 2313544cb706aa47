import { isoTime } from '../../format/render-value.js';
import { COVERAGE_SAMPLE, type CaseSummary } from '../data/case-summary.js';
import { escapeHtml as h } from '../escape.js';

const when = (ns: bigint | null): string => h(isoTime(ns) ?? '—');
const n = (v: number): string => v.toLocaleString('en-US');

/** The case at a glance: counts, sources (with sha256 and status), what each source could see, hosts, containers. */
export function summarySection(s: CaseSummary): string {
  const out: string[] = ['<section id="summary"><h2>Case summary</h2>'];
  const count = (v: number, one: string, many: string): string => `<b>${n(v)}</b> ${v === 1 ? one : many}`;
  const counts = [
    count(s.sources.length, 'source', 'sources'),
    count(s.hosts.length, 'host', 'hosts'),
    count(s.containerCount, 'container', 'containers'),
    count(s.processCount, 'process', 'processes'),
    count(s.execCount, 'program image', 'program images'),
  ];
  out.push(`<p class="counts">${counts.join(' · ')} · from ${when(s.firstNs)} to ${when(s.lastNs)}</p>`);
  out.push(
    '<h3>Sources</h3><table class="sources"><thead><tr><th>#</th><th>file and sha256</th><th>format</th><th>host</th><th>first event (UTC)</th><th>last event (UTC)</th><th>events</th><th>processes</th><th>warnings</th><th>status</th></tr></thead><tbody>',
  );
  for (const c of s.sources) {
    const status = c.status === 'complete' ? h(c.status) : `<span class="warn">${h(c.status)}</span>`;
    out.push(
      `<tr><td>${c.captureId}</td><td class="path">${h(c.path)}<br><span class="hash">${h(c.sha256)}</span></td><td>${h(c.format)}</td><td>${h(c.hostname ?? '—')}</td><td>${when(c.firstNs)}</td><td>${when(c.lastNs)}</td><td class="num">${n(c.events)}</td><td class="num">${n(c.processes)}</td><td class="num">${n(c.warnings)}</td><td>${status}</td></tr>`,
    );
  }
  out.push('</tbody></table>');
  if (s.coverage.length > 0) {
    const fields = s.coverage[0]?.fields.map((f) => f.field) ?? [];
    out.push(
      `<h3>What each source could tell</h3><p class="note">Share of program images (process fields: of processes) that carry each field, over the first ${n(COVERAGE_SAMPLE)} of each source. An empty cell means the source never said.</p>`,
    );
    out.push(`<table class="coverage"><thead><tr><th>source</th>${fields.map((f) => `<th>${h(f)}</th>`).join('')}</tr></thead><tbody>`);
    for (const c of s.coverage) {
      const cells = c.fields.map((f) => {
        const pct = Math.round(f.present * 100);
        const cls = pct === 0 ? 'none' : pct < 90 ? 'part' : 'full';
        return `<td class="cov ${cls}">${pct === 0 ? '' : `${pct}%`}</td>`;
      });
      out.push(`<tr><td>#${c.captureId} (${n(c.sampled)} images)</td>${cells.join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push(
    `<h3>Hosts</h3><ul class="inline">${s.hosts.map((x) => `<li>${h(x.hostname)} <span class="dim">(${n(x.processes)} processes)</span></li>`).join('')}</ul>`,
  );
  if (s.containers.length > 0) {
    out.push(
      '<h3>Containers (busiest first)</h3><table class="containers"><thead><tr><th>id</th><th>name</th><th>image</th><th>pod</th><th>namespace</th><th>privileged</th><th>processes</th></tr></thead><tbody>',
    );
    for (const c of s.containers) {
      const priv = c.privileged === null ? '?' : c.privileged ? '<span class="warn">yes</span>' : 'no';
      out.push(
        `<tr><td class="hash">${h(c.containerId)}</td><td>${h(c.name ?? '')}</td><td>${h(c.image ?? '')}</td><td>${h(c.podName ?? '')}</td><td>${h(c.podNamespace ?? '')}</td><td>${priv}</td><td class="num">${n(c.processes)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
    if (s.containerCount > s.containers.length)
      out.push(`<p class="note">${n(s.containerCount - s.containers.length)} more containers not listed (see <code>pedigree containers</code>).</p>`);
  }
  out.push('</section>');
  return out.join('\n');
}
