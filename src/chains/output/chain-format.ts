import { writeJson, type JsonLike } from '../../rules/output/alert-format.js';
import type { OutputValue } from '../../rules/output/alert.js';
import { isoTime, timeOfDay } from '../../rules/output/falco-time.js';
import type { ChainMatch, PathExec } from '../run/chain-match.js';
import { visible } from '../../util/visible.js';

/**
 * Chain matches as Falco-style output. Text: the Falco line (time of the step that completed the
 * chain, priority, output), then one indented line per step with its exec row, process and the
 * lineage path from the step it is linked to. JSON: Falco's alert keys (`rule` is the chain)
 * plus `steps`.
 */
export function chainLine(m: ChainMatch, time: (ns: bigint) => string = timeOfDay): string {
  return `${time(m.endNs)}: ${m.priority} ${m.output}`;
}

export function chainText(m: ChainMatch, time: (ns: bigint) => string = timeOfDay): string {
  const nameWidth = Math.max(...m.steps.map((s) => s.name.length));
  const execWidth = Math.max(...m.steps.map((s) => `exec ${s.execId}`.length));
  const procWidth = Math.max(...m.steps.map((s) => label(s.procName, s.pid).length));
  const lines = m.steps.map((s) => {
    const via = s.relation === 'same_container' || s.relation === 'same_host' ? `${s.relation}: ` : '';
    const path = s.path.length > 0 ? `${via}${pathLabels(s.path).join(' → ')}` : '';
    return `  ${s.name.padEnd(nameWidth)}  ${`exec ${s.execId}`.padEnd(execWidth)}  ${label(s.procName, s.pid).padEnd(procWidth)}  ${path}`.trimEnd();
  });
  // Text for a terminal: evidence in each line shown with control characters escaped.
  return [chainLine(m, time), ...lines].map(visible).join('\n');
}

export function chainJson(m: ChainMatch): string {
  const fields: Record<string, OutputValue> = { 'evt.time': m.endNs, ...m.outputFields };
  const sortedFields = Object.fromEntries(
    Object.keys(fields)
      .sort()
      .map((k) => [k, fields[k] ?? null]),
  );
  const steps: JsonLike[] = m.steps.map((s) => ({
    step: s.name,
    exec_id: s.execId,
    time: isoTime(s.tsNs),
    pid: s.pid,
    name: s.procName,
    cmdline: s.cmdline,
    linked_step: s.linkedStep === null ? null : (m.steps[s.linkedStep]?.name ?? null),
    relation: s.relation,
    path: s.path.map(pathJson),
  }));
  return writeJson({
    container_id: m.containerId ?? 'host',
    hostname: m.hostname,
    output: chainLine(m),
    output_fields: sortedFields,
    priority: m.priority,
    rule: m.chain,
    source: 'syscall',
    start_time: isoTime(m.startNs),
    steps,
    tags: [...m.tags].sort(),
    time: isoTime(m.endNs),
  });
}

function pathJson(p: PathExec): JsonLike {
  return { exec_id: p.execId, pid: p.pid, name: p.name };
}

/**
 * A path as `name,pid` labels. A process shows once even when it passed through several images
 * of the same name (a fork image, then an exec of the same program).
 */
export function pathLabels(path: PathExec[]): string[] {
  const labels = path.map((p) => label(p.name, p.pid));
  return labels.filter((l, i) => i === 0 || l !== labels[i - 1]);
}

function label(name: string | null, pid: bigint | null): string {
  return `${name ?? '?'},${pid ?? '?'}`;
}
