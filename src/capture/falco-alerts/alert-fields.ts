import type { ContainerEvent, ImageAttrs } from '../../events/lineage-event.js';

export type FieldValue = string | number | boolean | null;
export type OutputFields = Record<string, FieldValue>;

const str = (v: FieldValue | undefined): string | undefined => (v === null || v === undefined || v === '<NA>' ? undefined : String(v));

export const int = (v: FieldValue | undefined): number | undefined => {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
};

/** Image attributes of ancestor `n` (0 = the process itself) from Falco's `proc.a*[n]` fields. */
export function ancestorAttrs(f: OutputFields, n: number): ImageAttrs {
  const attrs: ImageAttrs = {};
  const name = str(f[`proc.aname[${n}]`]) ?? (n === 1 ? str(f['proc.pname']) : undefined);
  if (name) attrs.comm = name;
  const exe = str(f[`proc.aexe[${n}]`]) ?? (n === 1 ? str(f['proc.pexe']) : undefined);
  if (exe) attrs.exe = exe;
  const exepath = str(f[`proc.aexepath[${n}]`]) ?? (n === 1 ? str(f['proc.pexepath']) : undefined);
  if (exepath) attrs.exepath = exepath;
  const cmdline = str(f[`proc.acmdline[${n}]`]) ?? (n === 1 ? str(f['proc.pcmdline']) : undefined);
  if (cmdline) attrs.cmdline = cmdline;
  return attrs;
}

/** The alerting process's own attributes. */
export function processAttrs(f: OutputFields): ImageAttrs {
  const attrs = ancestorAttrs(f, 0);
  const name = str(f['proc.name']);
  if (name) attrs.comm = name;
  const exe = str(f['proc.exe']);
  if (exe) attrs.exe = exe;
  const exepath = str(f['proc.exepath']);
  if (exepath) attrs.exepath = exepath;
  const cmdline = str(f['proc.cmdline']);
  if (cmdline) attrs.cmdline = cmdline;
  const cwd = str(f['proc.cwd']);
  if (cwd) attrs.cwd = cwd;
  const uid = int(f['user.uid']);
  if (uid !== undefined) attrs.uid = uid;
  const user = str(f['user.name']);
  if (user) attrs.user = user;
  const loginuid = int(f['user.loginuid']);
  if (loginuid !== undefined) attrs.loginuid = loginuid;
  const gid = int(f['group.gid']);
  if (gid !== undefined) attrs.gid = gid;
  const tty = int(f['proc.tty']);
  if (tty !== undefined) attrs.tty = tty;
  const sid = int(f['proc.sid']);
  if (sid !== undefined) attrs.sid = sid;
  const container = containerIdOf(f);
  if (container) attrs.containerId = container;
  return attrs;
}

export function containerIdOf(f: OutputFields): string | undefined {
  const id = str(f['container.full_id']) ?? str(f['container.id']);
  return id === undefined || id === 'host' || id === '' ? undefined : id;
}

/** Container and Kubernetes context an alert carries, as a container event. */
export function containerEvent(f: OutputFields, host: string, ts: bigint): ContainerEvent | undefined {
  const id = containerIdOf(f);
  if (!id) return undefined;
  const ev: ContainerEvent = { kind: 'container', host, ts, id, source: 'falco alert output fields' };
  const set = <K extends keyof ContainerEvent>(key: K, field: string): void => {
    const v = str(f[field]);
    if (v !== undefined) (ev as unknown as Record<string, unknown>)[key] = v;
  };
  set('fullId', 'container.full_id');
  set('name', 'container.name');
  set('imageRepository', 'container.image.repository');
  set('imageTag', 'container.image.tag');
  set('imageDigest', 'container.image.digest');
  set('podName', 'k8s.pod.name');
  set('podNamespace', 'k8s.ns.name');
  set('podUid', 'k8s.pod.uid');
  if (ev.imageRepository) ev.image = ev.imageTag ? `${ev.imageRepository}:${ev.imageTag}` : ev.imageRepository;
  const privileged = f['container.privileged'];
  if (typeof privileged === 'boolean') ev.privileged = privileged;
  return ev;
}
