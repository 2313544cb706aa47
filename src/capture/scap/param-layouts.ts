/**
 * Where each parameter sits in every version of the clone-family and execve exit events
 * (scap-format.md §11.2, §11.3, §11.5). Older versions are prefixes with gaps; an index is
 * undefined when that version lacks the parameter.
 */

export interface CloneLayout {
  comm?: number;
  cgroups?: number;
  flags: number;
  uid: number;
  gid: number;
  vtid?: number;
  vpid?: number;
}

const CLONE_11: CloneLayout = { flags: 8, uid: 9, gid: 10 };
const CLONE_16: CloneLayout = { flags: 13, uid: 14, gid: 15 };
const CLONE_17: CloneLayout = { comm: 13, flags: 14, uid: 15, gid: 16 };
const CLONE_20: CloneLayout = { comm: 13, cgroups: 14, flags: 15, uid: 16, gid: 17, vtid: 18, vpid: 19 };

export const CLONE_LAYOUTS: ReadonlyMap<number, CloneLayout> = new Map([
  [15, CLONE_11],
  [157, CLONE_16],
  [183, CLONE_16],
  [185, CLONE_16],
  [217, CLONE_17],
  [219, CLONE_17],
  [221, CLONE_17],
  [223, CLONE_20],
  [225, CLONE_20],
  [227, CLONE_20],
  [335, CLONE_20],
]);

export interface ExecLayout {
  comm?: number;
  cgroups?: number;
  env?: number;
  tty?: number;
  /** Everything from vpgid on follows the EXECVE_19 / EXECVEAT order. */
  current: boolean;
}

export const EXEC_LAYOUTS: ReadonlyMap<number, ExecLayout> = new Map([
  [13, { current: false }],
  [155, { current: false }],
  [173, { env: 13, current: false }],
  [215, { comm: 13, env: 14, current: false }],
  [231, { comm: 13, cgroups: 14, env: 15, current: false }],
  [283, { comm: 13, cgroups: 14, env: 15, tty: 16, current: false }],
  [289, { comm: 13, cgroups: 14, env: 15, tty: 16, current: false }],
  [293, { comm: 13, cgroups: 14, env: 15, tty: 16, current: true }],
  [331, { comm: 13, cgroups: 14, env: 15, tty: 16, current: true }],
]);

/** EXECVE_19 / EXECVEAT parameters after tty. */
export const EXEC_CURRENT = {
  vpgid: 17,
  loginuid: 18,
  flags: 19,
  capInheritable: 20,
  capPermitted: 21,
  capEffective: 22,
  uid: 26,
  trustedExepath: 27,
  pgid: 28,
  gid: 29,
  filename: 30,
} as const;
