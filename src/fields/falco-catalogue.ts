/**
 * Falco fields pedigree does not answer, so that a condition naming one is told "the case cannot
 * answer it" while a misspelt name is told "not a field" with a suggestion. Names follow
 * libsinsp's filterchecks (evt, fd, fs.path, proc, thread, user, group) and the container and
 * k8s fields of the container plugin; fields of plugin sources pedigree does not read are known
 * by their class prefix.
 */

const UNANSWERED_FIELDS = `
evt.args evt.info evt.buffer evt.buflen evt.latency evt.latency.s evt.latency.ns evt.latency.human
evt.deltatime evt.deltatime.s evt.deltatime.ns evt.outputtime evt.datetime evt.datetime.s evt.time.s
evt.time.iso8601 evt.reltime evt.reltime.s evt.reltime.ns evt.cpu evt.category evt.is_io evt.is_io_read
evt.is_io_write evt.io_dir evt.is_wait evt.wait_latency evt.is_syslog evt.count evt.count.error
evt.count.error.file evt.count.error.net evt.count.error.memory evt.count.error.other evt.count.exit
evt.around evt.abspath evt.abspath.src evt.abspath.dst evt.is_open_read evt.is_open_write
evt.is_open_exec evt.is_open_create evt.type.is evt.plugininfo evt.pluginname evt.asynctype
evt.is_async evt.rawres evt.source
fd.num fd.type fd.typechar fd.name fd.directory fd.filename fd.ip fd.cip fd.sip fd.lip fd.rip fd.port
fd.cport fd.sport fd.lport fd.rport fd.l4proto fd.sockfamily fd.is_server fd.uid fd.containername
fd.containerdirectory fd.proto fd.cproto fd.sproto fd.lproto fd.rproto fd.net fd.cnet fd.snet fd.lnet
fd.rnet fd.connected fd.name_changed fd.cip.name fd.sip.name fd.lip.name fd.rip.name fd.dev
fd.dev.major fd.dev.minor fd.ino fd.nameraw fd.types
fdlist.nums fdlist.names fdlist.cips fdlist.sips fdlist.cports fdlist.sports
fs.path.name fs.path.nameraw fs.path.source fs.path.sourceraw fs.path.target fs.path.targetraw
proc.sname proc.sid.exe proc.sid.exepath proc.vpgid.name proc.vpgid.exe proc.vpgid.exepath
proc.pgid.name proc.pgid.exe proc.pgid.exepath proc.pvpid proc.exe_ino proc.exe_ino.ctime
proc.exe_ino.mtime proc.exe_ino.ctime_duration_proc_start proc.exe_ino.ctime_duration_pidns_start
proc.pidns_init_start_ts proc.ppid.ts proc.ppid.duration proc.is_container_healthcheck
proc.is_container_liveness_probe proc.is_container_readiness_probe proc.fdopencount proc.fdlimit
proc.fdusage proc.vmsize proc.vmrss proc.vmswap proc.pfmajor proc.pfminor proc.stdin.type
proc.stdout.type proc.stderr.type proc.stdin.name proc.stdout.name proc.stderr.name proc.nthreads
proc.nchilds proc.thread.cap_permitted proc.thread.cap_inheritable proc.thread.cap_effective
proc.cmdnargs proc.cmdlenargs proc.loginshellid proc.exeline proc.pid.ts
thread.ismain thread.exectime thread.totexectime thread.cgroups thread.cgroup thread.vtid
thread.cpu thread.cpu.user thread.cpu.system thread.vmsize thread.vmrss thread.vmsize.b
thread.vmrss.b
user.homedir user.shell user.loginname
group.name
container.start_ts container.duration container.ip container.cni.json container.mounts
container.mount container.healthcheck container.liveness_probe container.readiness_probe
container.host_ipc container.image.tag container.image.digest
k8s.pod.labels k8s.pod.ip k8s.pod.cni.json k8s.pod.full_sandbox_id k8s.pod.sandbox_id
k8s.rc.name k8s.rc.id k8s.rc.label k8s.rc.labels k8s.svc.name k8s.svc.id k8s.svc.label
k8s.svc.labels k8s.ns.id k8s.ns.label k8s.ns.labels k8s.rs.name k8s.rs.id k8s.rs.label
k8s.rs.labels k8s.deployment.name k8s.deployment.id k8s.deployment.label k8s.deployment.labels
span.id span.time span.ntags span.nargs span.tags span.args span.tag span.arg span.enterargs
span.duration span.duration.human
`
  .split(/\s+/)
  .filter(Boolean);

/** Field families of their own: any name under these prefixes is a Falco field. */
const OPEN_PREFIXES = ['evt.arg.', 'evt.rawarg.', 'ka.', 'jevt.', 'k8saudit.', 'ct.', 'okta.', 'github.', 'gcp.', 'cloudtrail.', 'json.'];

const BARE_WITH_ARGUMENT = new Set(['evt.arg', 'evt.rawarg', 'evt.type.is']);

const KNOWN = new Set(UNANSWERED_FIELDS);

/** True for a Falco field (or family) that is not in pedigree's field table. */
export function isUnansweredFalcoField(name: string): boolean {
  return KNOWN.has(name) || BARE_WITH_ARGUMENT.has(name) || OPEN_PREFIXES.some((p) => name.startsWith(p));
}

export function unansweredFalcoFieldNames(): readonly string[] {
  return UNANSWERED_FIELDS;
}

/** What a Falco field the case cannot answer would need, for messages. */
export function whatItNeeds(name: string): string {
  if (name.startsWith('fd.') || name.startsWith('fdlist.')) return 'file-descriptor data (open, connect, accept events)';
  if (name.startsWith('fs.path.')) return 'file-system events (unlink, rename, mkdir, …)';
  if (name.startsWith('evt.arg') || name.startsWith('evt.rawarg')) return "the arguments of the event's system call";
  if (name.startsWith('evt.')) return 'per-event data process records do not keep';
  if (name.startsWith('k8s.') || name.startsWith('container.')) return 'container metadata no importer reads';
  if (OPEN_PREFIXES.some((p) => name.startsWith(p))) return 'events of another source (plugin)';
  return 'process data no importer records';
}
