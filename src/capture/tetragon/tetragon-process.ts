import type { ContainerEvent, ImageAttrs } from '../../events/lineage-event.js';
import { isoToNs } from '../time-parse.js';

/** Tetragon's `Process` message as protojson prints it (fields absent when zero/empty). */
export interface TetragonProcess {
  exec_id?: string;
  parent_exec_id?: string;
  pid?: number;
  tid?: number;
  uid?: number;
  auid?: number;
  cwd?: string;
  binary?: string;
  arguments?: string;
  flags?: string;
  start_time?: string;
  docker?: string;
  pod?: TetragonPod;
  /** With --enable-process-cred: capability sets as CAP_* name arrays. */
  cap?: { permitted?: string[]; effective?: string[]; inheritable?: string[] };
}

export interface TetragonPod {
  namespace?: string;
  name?: string;
  uid?: string;
  pod_labels?: Record<string, string>;
  container?: {
    id?: string;
    name?: string;
    image?: { id?: string; name?: string };
    start_time?: string;
    pid?: number;
    security_context?: { privileged?: boolean };
  };
}

const UNSET_ID = 4294967295;

/** Numbers may come as JSON numbers or (64-bit) strings. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isInteger(v)) return Number(v);
  return undefined;
}

/** `-?\d+`, checked without a regular expression (pids of every event). */
function isInteger(s: string): boolean {
  const n = s.length;
  let i = n > 0 && s.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= n) return false;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Image attributes of a Tetragon process. `arguments` is a joined string without argv[0], so
 * the command line is the binary plus it (never re-split into argv).
 */
export function processAttrs(p: TetragonProcess, attrs: ImageAttrs = {}): ImageAttrs {
  const { binary, arguments: args } = p;
  if (binary) attrs.exepath = binary;
  if (binary && args) attrs.cmdline = `${binary} ${args}`;
  else if (binary || args) attrs.cmdline = String(binary || args);
  if (p.cwd) attrs.cwd = p.cwd;
  const uid = num(p.uid);
  attrs.uid = uid ?? 0;
  const auid = num(p.auid);
  if (auid !== undefined) attrs.loginuid = auid === UNSET_ID ? -1 : auid;
  const container = p.pod?.container?.id ?? p.docker;
  if (container) attrs.containerId = container;
  const cap = p.cap;
  if (cap) {
    if (cap.permitted) attrs.capPermitted = cap.permitted.join(' ');
    if (cap.effective) attrs.capEffective = cap.effective.join(' ');
    if (cap.inheritable) attrs.capInheritable = cap.inheritable.join(' ');
  }
  return attrs;
}

export function startNs(p: TetragonProcess): bigint | undefined {
  return p.start_time ? isoToNs(p.start_time) : undefined;
}

/** The id of the container a process runs in, if any. */
export function containerIdOf(p: TetragonProcess): string | undefined {
  return p.pod?.container?.id ?? p.docker;
}

/** The pod and container a process runs in, as a container event. */
export function containerEvent(p: TetragonProcess, host: string, ts: bigint): ContainerEvent | undefined {
  const pod = p.pod;
  const c = pod?.container;
  const id = containerIdOf(p);
  if (!id) return undefined;
  const ev: ContainerEvent = { kind: 'container', host, ts, id, source: 'tetragon pod' };
  const runtime = /^([a-z-]+):\/\//.exec(id)?.[1];
  if (runtime) ev.runtime = runtime;
  if (c?.name) ev.name = c.name;
  if (c?.image?.name) {
    ev.image = c.image.name;
    const m = /^(.*?)(?::([^:/@]+))?(?:@(sha256:[0-9a-f]+))?$/.exec(c.image.name);
    if (m?.[1]) ev.imageRepository = m[1];
    if (m?.[2]) ev.imageTag = m[2];
  }
  if (c?.image?.id) {
    ev.imageId = c.image.id;
    const digest = /@(sha256:[0-9a-f]{64})/.exec(c.image.id)?.[1];
    if (digest) ev.imageDigest = digest;
  }
  if (c?.security_context?.privileged !== undefined) ev.privileged = c.security_context.privileged;
  if (pod?.name) ev.podName = pod.name;
  if (pod?.namespace) ev.podNamespace = pod.namespace;
  if (pod?.uid) ev.podUid = pod.uid;
  if (pod?.pod_labels) ev.podLabels = pod.pod_labels;
  return ev;
}
