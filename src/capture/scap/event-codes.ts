/**
 * The event codes the scap reader decodes (scap-format.md §11) and the numbering rule of sysdig
 * 0.29.3. Every other event is skipped by type and length.
 */

/** sysdig 0.29.3 (libs e5c53d6) knows codes below this; it skips and does not number the rest. */
export const SYSDIG_0_29_3_EVENT_MAX = 336;

export type CloneSyscall = 'clone' | 'fork' | 'vfork' | 'clone3';

export enum Role {
  Skip = 0,
  CloneExit = 1,
  ExecveEnter = 2,
  ExecveatEnter = 3,
  ExecExit = 4,
  ProcExit = 5,
  ContainerOld = 6,
  ContainerJson = 7,
  AsyncEvent = 8,
  Chdir = 9,
}

interface CodeInfo {
  role: Role;
  /** Parameter count in the newest schema: the upper bound when a v1 header must infer nparams. */
  nparams: number;
  syscall?: CloneSyscall | 'execve' | 'execveat';
}

const CODES: [number, CodeInfo][] = [
  [15, { role: Role.CloneExit, nparams: 11, syscall: 'clone' }],
  [157, { role: Role.CloneExit, nparams: 16, syscall: 'clone' }],
  [217, { role: Role.CloneExit, nparams: 17, syscall: 'clone' }],
  [223, { role: Role.CloneExit, nparams: 21, syscall: 'clone' }],
  [183, { role: Role.CloneExit, nparams: 16, syscall: 'fork' }],
  [219, { role: Role.CloneExit, nparams: 17, syscall: 'fork' }],
  [225, { role: Role.CloneExit, nparams: 21, syscall: 'fork' }],
  [185, { role: Role.CloneExit, nparams: 16, syscall: 'vfork' }],
  [221, { role: Role.CloneExit, nparams: 17, syscall: 'vfork' }],
  [227, { role: Role.CloneExit, nparams: 21, syscall: 'vfork' }],
  [335, { role: Role.CloneExit, nparams: 21, syscall: 'clone3' }],
  [288, { role: Role.ExecveEnter, nparams: 1 }],
  [292, { role: Role.ExecveEnter, nparams: 1 }],
  [330, { role: Role.ExecveatEnter, nparams: 3 }],
  [13, { role: Role.ExecExit, nparams: 8, syscall: 'execve' }],
  [155, { role: Role.ExecExit, nparams: 13, syscall: 'execve' }],
  [173, { role: Role.ExecExit, nparams: 14, syscall: 'execve' }],
  [215, { role: Role.ExecExit, nparams: 15, syscall: 'execve' }],
  [231, { role: Role.ExecExit, nparams: 16, syscall: 'execve' }],
  [283, { role: Role.ExecExit, nparams: 17, syscall: 'execve' }],
  [289, { role: Role.ExecExit, nparams: 17, syscall: 'execve' }],
  [293, { role: Role.ExecExit, nparams: 31, syscall: 'execve' }],
  [331, { role: Role.ExecExit, nparams: 30, syscall: 'execveat' }],
  [16, { role: Role.ProcExit, nparams: 0 }],
  [186, { role: Role.ProcExit, nparams: 5 }],
  [228, { role: Role.ContainerOld, nparams: 4 }],
  [272, { role: Role.ContainerJson, nparams: 1 }],
  [324, { role: Role.ContainerJson, nparams: 1 }],
  [402, { role: Role.AsyncEvent, nparams: 3 }],
  // chdir exit (res, path): keeps the thread's cwd for relative execve filenames.
  [95, { role: Role.Chdir, nparams: 2 }],
];

/** role by event code, for a branch-free skip test on the hot path. */
export const ROLE_BY_CODE = new Uint8Array(65536);
/** By code (every known code is below 512): an array index is cheaper than a map on every lineage event. */
const INFO_BY_CODE: (CodeInfo | undefined)[] = new Array(512).fill(undefined);
for (const [code, info] of CODES) {
  ROLE_BY_CODE[code] = info.role;
  INFO_BY_CODE[code] = info;
}

export function codeInfo(code: number): CodeInfo | undefined {
  return INFO_BY_CODE[code];
}

/** Event types whose parameter lengths are u32 instead of u16. */
export function hasLargeParamLengths(code: number): boolean {
  return code === 322 || code === 324 || code === 402;
}
