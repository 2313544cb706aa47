import type { ContainerEvent, ContainerMount } from '../../events/lineage-event.js';

/** The `type` enum of libsinsp container metadata (scap-format.md §12.7). */
const RUNTIMES = ['docker', 'lxc', 'libvirt-lxc', 'mesos', 'rkt', 'custom', 'cri', 'containerd', 'cri-o', 'bpm', 'static', 'podman'];

function runtimeName(type: unknown): string | undefined {
  return typeof type === 'number' ? (RUNTIMES[type] ?? `type ${type}`) : undefined;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const boolOf = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

function stringMap(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Json)) if (typeof val === 'string') out[k] = val;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Kubernetes identity from a dockershim container name:
 * `k8s_<container>[.<hash>]_<pod>_<namespace>_<pod-uid>_<restart>`.
 */
export function podFromDockerName(name: string | undefined): { pod: string; namespace: string; uid: string } | undefined {
  if (!name) return undefined;
  const parts = name.replace(/^\//, '').split('_');
  if (parts[0] !== 'k8s' || parts.length < 6) return undefined;
  const [, , pod, namespace, uid] = parts;
  if (!pod || !namespace || !uid) return undefined;
  return { pod, namespace, uid };
}

/** A container event from the `{"container":{…}}` JSON of CONTAINER_JSON(_2)_E and the container plugin. */
export function containerFromJson(text: string, host: string, source: string): ContainerEvent | undefined {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  const c = (root as Json | null)?.container;
  if (typeof c !== 'object' || c === null) return undefined;
  const o = c as Json;
  const id = str(o.id) ?? str(o.full_id);
  if (!id) return undefined;
  const ev: ContainerEvent = { kind: 'container', host, ts: 0n, id, source };
  const set = <K extends keyof ContainerEvent>(key: K, value: ContainerEvent[K] | undefined): void => {
    if (value !== undefined) ev[key] = value;
  };
  set('fullId', str(o.full_id));
  set('name', str(o.name));
  set('image', str(o.image));
  set('imageRepository', str(o.imagerepo));
  set('imageTag', str(o.imagetag));
  set('imageDigest', str(o.imagedigest));
  set('imageId', str(o.imageid));
  set('runtime', runtimeName(o.type));
  set('privileged', boolOf(o.privileged));
  set('hostPid', boolOf(o.host_pid));
  set('hostNetwork', boolOf(o.host_network));
  const labels = stringMap(o.labels);
  set('labels', labels);
  set('podLabels', stringMap(o.pod_sandbox_labels));
  set('mounts', mountsOf(o.Mounts));
  const fromName = podFromDockerName(ev.name);
  set('podName', labels?.['io.kubernetes.pod.name'] ?? fromName?.pod);
  set('podNamespace', labels?.['io.kubernetes.pod.namespace'] ?? fromName?.namespace);
  set('podUid', labels?.['io.kubernetes.pod.uid'] ?? fromName?.uid);
  return ev;
}

function mountsOf(v: unknown): ContainerMount[] | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const mounts: ContainerMount[] = [];
  for (const m of v) {
    if (typeof m !== 'object' || m === null) continue;
    const o = m as Json;
    const source = str(o.Source);
    const destination = str(o.Destination);
    if (source === undefined || destination === undefined) continue;
    const mount: ContainerMount = { source, destination };
    const mode = str(o.Mode);
    if (mode !== undefined) mount.mode = mode;
    const rw = boolOf(o.RW);
    if (rw !== undefined) mount.rw = rw;
    const propagation = str(o.Propagation);
    if (propagation !== undefined) mount.propagation = propagation;
    mounts.push(mount);
  }
  return mounts.length > 0 ? mounts : undefined;
}

/** CONTAINER_E (oldest form): id, runtime type, name, image as separate parameters. */
export function containerFromFields(id: string, type: number | undefined, name: string | undefined, image: string | undefined, host: string): ContainerEvent {
  const ev: ContainerEvent = { kind: 'container', host, ts: 0n, id, source: 'scap container' };
  const runtime = runtimeName(type);
  if (runtime !== undefined) ev.runtime = runtime;
  if (name !== undefined) ev.name = name;
  if (image !== undefined) ev.image = image;
  const pod = podFromDockerName(name);
  if (pod) {
    ev.podName = pod.pod;
    ev.podNamespace = pod.namespace;
    ev.podUid = pod.uid;
  }
  return ev;
}
