import { boundedMemo } from '../../util/bounded-memo.js';
/** PPM_CL_* clone flag bits as the scap drivers translate them (scap-format.md §11.3). */
export const CL_PARENT = 1 << 8;
export const CL_NEWPID = 1 << 6;
export const CL_THREAD = 1 << 13;
export const CL_CHILD_IN_PIDNS = 1 << 29;

const NAMES: [number, string][] = [
  [1 << 0, 'CLONE_FILES'],
  [1 << 1, 'CLONE_FS'],
  [1 << 2, 'CLONE_IO'],
  [1 << 3, 'CLONE_NEWIPC'],
  [1 << 4, 'CLONE_NEWNET'],
  [1 << 5, 'CLONE_NEWNS'],
  [1 << 6, 'CLONE_NEWPID'],
  [1 << 7, 'CLONE_NEWUTS'],
  [1 << 8, 'CLONE_PARENT'],
  [1 << 9, 'CLONE_PARENT_SETTID'],
  [1 << 10, 'CLONE_PTRACE'],
  [1 << 11, 'CLONE_SIGHAND'],
  [1 << 12, 'CLONE_SYSVSEM'],
  [1 << 13, 'CLONE_THREAD'],
  [1 << 14, 'CLONE_UNTRACED'],
  [1 << 15, 'CLONE_VM'],
  [1 << 20, 'CLONE_NEWUSER'],
  [1 << 23, 'CLONE_CHILD_CLEARTID'],
  [1 << 24, 'CLONE_CHILD_SETTID'],
  [1 << 25, 'CLONE_SETTLS'],
  [1 << 26, 'CLONE_STOPPED'],
  [1 << 27, 'CLONE_VFORK'],
  [1 << 28, 'CLONE_NEWCGROUP'],
  [1 << 29, 'CLONE_CHILD_IN_PIDNS'],
];

/** `CLONE_FILES|CLONE_VM`, as sysdig prints the flags; sinsp-internal bits are left out. A capture repeats a handful of sets on every clone. */
export const cloneFlagNames: (flags: number) => string = boundedMemo(spell, 256);

function spell(flags: number): string {
  return NAMES.filter(([bit]) => (flags & bit) !== 0)
    .map(([, name]) => name)
    .join('|');
}

/** execve `flags` parameter bits (PPM_EXE_*). */
export const EXE_WRITABLE = 1;
export const EXE_UPPER_LAYER = 2;
export const EXE_FROM_MEMFD = 4;
export const EXE_LOWER_LAYER = 8;
