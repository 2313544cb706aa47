/**
 * Container ids from cgroup paths and from runtime-prefixed ids, normalised to the 12-hex short
 * id Falco prints. Patterns follow the runtimes' cgroup layouts (docker, containerd/CRI, cri-o,
 * podman, nerdctl, kubepods).
 */

const HEX64 = /^[0-9a-f]{64}$/;

const PATH_PATTERNS: readonly RegExp[] = [
  /\/docker-([0-9a-f]{64})\.scope$/,
  /\/crio-(?:conmon-)?([0-9a-f]{64})(?:\.scope)?$/,
  /\/cri-containerd-([0-9a-f]{64})\.scope$/,
  /:cri-containerd:([0-9a-f]{64})$/,
  /\/nerdctl-([0-9a-f]{64})\.scope$/,
  /\/libpod-(?:payload-)?([0-9a-f]{64})(?:\.scope)?(?:\/container)?$/,
  /\/([0-9a-f]{64})$/,
];

/** The container a single cgroup path names, or null for a host path. */
function containerIdFromCgroupPath(path: string): string | null {
  for (const re of PATH_PATTERNS) {
    const m = re.exec(path);
    if (m?.[1]) return m[1].slice(0, 12);
  }
  return null;
}

/**
 * The container named by a process's cgroups (`controller=path` items, or bare paths):
 * undefined when there are no cgroups to judge by, null when they are host cgroups.
 */
export function containerIdFromCgroups(cgroups: readonly string[] | undefined): string | null | undefined {
  if (!cgroups || cgroups.length === 0) return undefined;
  for (const item of cgroups) {
    const id = containerIdFromCgroupItem(item);
    if (id) return id;
  }
  return null;
}

/**
 * Answers by cgroup item, remembered: the processes of a container repeat the same few items,
 * and trying every runtime's pattern on each (~1 µs) was most of the linker's time per fork.
 */
const itemAnswers = new Map<string, string | null>();
const MAX_ITEM_ANSWERS = 4096;

function containerIdFromCgroupItem(item: string): string | null {
  let id = itemAnswers.get(item);
  if (id !== undefined) return id;
  const eq = item.indexOf('=');
  id = containerIdFromCgroupPath(eq >= 0 ? item.slice(eq + 1) : item);
  if (itemAnswers.size >= MAX_ITEM_ANSWERS) itemAnswers.clear();
  itemAnswers.set(item, id);
  return id;
}

/** Full id (64 hex) from a runtime-prefixed or bare id, when it is one. */
export function fullContainerId(id: string): string | undefined {
  const bare = stripRuntimePrefix(id).toLowerCase();
  return HEX64.test(bare) ? bare : undefined;
}

/** `containerd://<64hex>` → `<12hex>`; `host` and empty → null; other ids kept as given. */
export function normalizeContainerId(id: string | undefined | null): string | null {
  if (id === undefined || id === null) return null;
  const bare = stripRuntimePrefix(id.trim());
  if (bare === '' || bare === 'host') return null;
  if (/^[0-9a-fA-F]{12,64}$/.test(bare)) return bare.slice(0, 12).toLowerCase();
  return bare;
}

function stripRuntimePrefix(id: string): string {
  const m = /^[a-z-]+:\/\/(.*)$/.exec(id);
  return m?.[1] ?? id;
}
