/** Block type ids of the scap savefile (pcapng framing), with the pre-release aliases libscap accepts. */

export const SHB = 0x0a0d0d0a;
export const SHB_MAGIC = 0x1a2b3c4d;

export const MI = 0x201;
export const MI_OLD = 0x8002abcd;

/** Process list versions: block id → version number (1..9). */
export const PROCLIST_VERSIONS: ReadonlyMap<number, number> = new Map([
  [0x202, 1],
  [0x8000abcd, 1],
  [0x207, 2],
  [0x8013abcd, 2],
  [0x209, 3],
  [0x8014abcd, 3],
  [0x210, 4],
  [0x211, 5],
  [0x212, 6],
  [0x213, 7],
  [0x214, 8],
  [0x215, 9],
]);

export const FDL = 0x203;
export const FDL_OLD = 0x8001abcd;
export const FDL_V2 = 0x218;
export const IL = 0x205;
export const IL_OLD = 0x8011abcd;
export const IL_V2 = 0x219;
export const UL = 0x206;
export const UL_OLD = 0x8012abcd;
export const UL_V2 = 0x220;

const EV = 0x204;
const EV_OLD = 0x8010abcd;
export const EV_V2 = 0x216;
const EV_V2_LARGE = 0x221;
const EVF = 0x208;
const EVF_V2 = 0x217;
const EVF_V2_LARGE = 0x222;

export interface EventBlockKind {
  /** v2 headers carry nparams; v1 headers do not. */
  v2: boolean;
  /** A u32 dump-flags word follows the cpu id. */
  flags: boolean;
  /** May exceed 64 KiB. */
  large: boolean;
}

export const EVENT_BLOCKS: ReadonlyMap<number, EventBlockKind> = new Map([
  [EV, { v2: false, flags: false, large: false }],
  [EV_OLD, { v2: false, flags: false, large: false }],
  [EV_V2, { v2: true, flags: false, large: false }],
  [EV_V2_LARGE, { v2: true, flags: false, large: true }],
  [EVF, { v2: false, flags: true, large: false }],
  [EVF_V2, { v2: true, flags: true, large: false }],
  [EVF_V2_LARGE, { v2: true, flags: true, large: true }],
]);

const NAMES = new Map<number, string>([
  [SHB, 'SHB'],
  [MI, 'MI'],
  [MI_OLD, 'MI'],
  [FDL, 'FDL'],
  [FDL_OLD, 'FDL'],
  [FDL_V2, 'FDL_V2'],
  [IL, 'IL'],
  [IL_OLD, 'IL'],
  [IL_V2, 'IL_V2'],
  [UL, 'UL'],
  [UL_OLD, 'UL'],
  [UL_V2, 'UL_V2'],
  [EV, 'EV'],
  [EV_OLD, 'EV'],
  [EV_V2, 'EV_V2'],
  [EV_V2_LARGE, 'EV_V2_LARGE'],
  [EVF, 'EVF'],
  [EVF_V2, 'EVF_V2'],
  [EVF_V2_LARGE, 'EVF_V2_LARGE'],
]);
for (const [id, version] of PROCLIST_VERSIONS) NAMES.set(id, `PL_V${version}`);

export function isKnownBlockType(type: number): boolean {
  return NAMES.has(type);
}

/** `EV_V2 (0x216)` for messages; unknown ids in hex. */
export function blockTypeName(type: number): string {
  const hex = `0x${type.toString(16)}`;
  const name = NAMES.get(type);
  return name ? `${name} (${hex})` : `unknown block type ${hex}`;
}

/** libscap refuses non-large event blocks above 64 KiB of body. */
export const MAX_SMALL_EVENT_BLOCK = 65536 + 8;
/** A sanity bound for every other block (process lists of very large hosts stay far below it). */
const MAX_BLOCK = 256 * 1024 * 1024;

export function maxBlockLength(type: number): number {
  const ev = EVENT_BLOCKS.get(type);
  return ev && !ev.large ? MAX_SMALL_EVENT_BLOCK : MAX_BLOCK;
}
