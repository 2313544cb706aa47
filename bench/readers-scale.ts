import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Scaled-up copies of the real samples in ../shared/datasets, one transform per format: copy `i`
 * shifts every pid by i·PID_STEP (and timestamps, serials, GUIDs and exec ids where the format
 * keys on them), so the copies are distinct processes, never duplicates of each other.
 */
export const DATASETS = join(import.meta.dirname, '../../shared/datasets');
const PID_STEP = 1000;

const shift =
  (i: number) =>
  (n: string): string =>
    String(Number(n) + i * PID_STEP);

export interface ScaledFormat {
  format: string;
  /** One copy of the sample with index i (lines joined by \n, ending in \n). */
  copy(i: number): string;
}

function read(rel: string): string {
  return readFileSync(join(DATASETS, rel), 'utf8');
}

const audit = read('laurel-testdata/shell-proc-trace.txt')
  .split('\n')
  .filter((l) => l.startsWith('type='))
  .join('\n');
const laurel = ['record-execve', 'record-perl-reverse-shell', 'record-weblogic', 'record-syscall-key']
  .map((n) => read(`laurel-testdata/${n}.json`).trim())
  .join('\n');
const sysmonRows = read('otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json')
  .trim()
  .split('\n')
  .map((l) => `May 11 18:10:20 UBUNTU5 sysmon: ${(JSON.parse(l) as { SyslogMessage: string }).SyslogMessage}`)
  .join('\n');
const tetragon = read('tetragon/testdata/events.json').trim();
const strace = ['basic.ttt.txt', 'edge.ttt.txt'].map((f) => read(`strace-generated/${f}`).trim()).join('\n');
const falco = read('falco-doc-samples/falco-website-alerts.jsonl').trim();
const csv = read('ps-generated/proc-snapshot.csv').trim().split('\n');
const ps = read('ps-generated/ps-eo-lstart.txt').trim().split('\n');

export const SCALED: ScaledFormat[] = [
  {
    format: 'audit',
    copy: (i) =>
      `${audit
        .replace(/\b(pid|ppid)=(\d+)/g, (_, k: string, n: string) => `${k}=${shift(i)(n)}`)
        .replace(/ exit=(\d{4,})/g, (_, n: string) => ` exit=${shift(i)(n)}`)
        .replace(/audit\((\d+)\.(\d+):(\d+)\)/g, (_, s: string, ms: string, serial: string) => `audit(${Number(s) + i}.${ms}:${Number(serial) + i * 100})`)}\n`,
  },
  {
    format: 'laurel',
    copy: (i) =>
      `${laurel
        .replace(/"(pid|ppid)":(\d+)/g, (_, k: string, n: string) => `"${k}":${shift(i)(n)}`)
        .replace(/"ID":"(\d+)\.(\d+):(\d+)"/g, (_, s: string, ms: string, serial: string) => `"ID":"${Number(s) + i}.${ms}:${serial}"`)}\n`,
  },
  {
    format: 'sysmon',
    copy: (i) =>
      `${sysmonRows
        .replace(/(<Data Name="(?:Parent)?ProcessId">)(\d+)/g, (_, tag: string, n: string) => tag + shift(i)(n))
        .replace(/-([0-9a-f]{4})-([0-9a-f]{12})\}/g, (all, a: string, b: string) =>
          b === '000000000000' ? all : `-${a}-${(i % 0xffffffff).toString(16).padStart(8, '0')}${b.slice(8)}}`,
        )}\n`,
  },
  {
    format: 'tetragon',
    copy: (i) =>
      `${tetragon
        .replace(/"(exec_id|parent_exec_id)":"([^"]+)"/g, (_, k: string, v: string) => `"${k}":"${v}${i}"`)
        .replace(/"pid":(\d+)/g, (_, n: string) => `"pid":${shift(i)(n)}`)}\n`,
  },
  {
    format: 'strace',
    copy: (i) =>
      `${strace
        .split('\n')
        .map((l) => l.replace(/^(\d+)/, shift(i)).replace(/= (\d{3,})$/, (_, n: string) => `= ${shift(i)(n)}`))
        .join('\n')}\n`,
  },
  {
    format: 'falco-alerts',
    copy: () => `${falco}\n`,
  },
  {
    format: 'csv',
    copy: (i) =>
      `${(i === 0 ? csv : csv.slice(1)).map((l, j) => (i === 0 && j === 0 ? l : l.replace(/^(\d+),(\d+)/, (_, a: string, b: string) => `${shift(i)(a)},${shift(i)(b)}`))).join('\n')}\n`,
  },
  {
    format: 'ps',
    copy: (i) =>
      `${(i === 0 ? ps : ps.slice(1)).map((l, j) => (i === 0 && j === 0 ? l : l.replace(/^(\s*)(\d+)(\s+)(\d+)/, (_, s: string, a: string, t: string, b: string) => `${s}${shift(i)(a)}${t}${shift(i)(b)}`))).join('\n')}\n`,
  },
];

/**
 * Samples whose real copies make no processes, given what lineage needs. The website's Falco
 * alerts name no pid (default rule outputs): here its syscall alerts carry the fields
 * `append_output` adds (capture-formats.md §1), each copy its own shells and their parent.
 */
export const SCALED_WITH_LINEAGE: ScaledFormat[] = [
  {
    format: 'falco-alerts',
    copy: (i) => {
      let j = 0;
      return `${falco
        .split('\n')
        .map((l) =>
          l.includes('"proc.cmdline"')
            ? l.replace(/"output_fields": ?\{/, (open) => `${open}"proc.pid":${i * PID_STEP + 101 + j++},"proc.ppid":${i * PID_STEP + 100},`)
            : l,
        )
        // Each copy a second later: alerts of one host at one time are compared with each other.
        .map((l) => l.replace(/"evt\.time":(\d+)/, (_, ns: string) => `"evt.time":${BigInt(ns) + BigInt(i) * 1_000_000_000n}`))
        .join('\n')}\n`;
    },
  },
];

export function tetragonChapterFiles(): string[] {
  return readdirSync(join(DATASETS, 'tetragon'));
}
