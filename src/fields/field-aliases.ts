/**
 * Other spellings pedigree accepts for fields of its table.
 *
 * `proc.parent.name`, `proc.parent.pid`, … are the spelling many people write first (and the one
 * of the Falco process-lineage article); Falco itself spells them `proc.pname`, `proc.ppid`, …,
 * and `proc.parent.parent.name` is Falco's `proc.aname[2]`. pedigree accepts both and says which
 * one Falco takes, so a rule can be fixed before it is deployed to Falco.
 */

export interface FieldAlias {
  /** The field of pedigree's table the alias reads. */
  name: string;
  /** Its argument (an ancestor depth) when the alias carries one. */
  arg?: string;
  /** How Falco spells it, e.g. `proc.pname` or `proc.aname[2]`. */
  falco: string;
  /** True for spellings Falco itself accepts too. */
  falcoAccepts: boolean;
}

/** Aliases Falco accepts for the same field. */
const FALCO_ALIASES: Record<string, string> = {
  'proc.tid': 'thread.tid',
  'container.image.repo': 'container.image.repository',
};

/** `proc.parent.X`: Falco's parent field (depth 1) and ancestor field (depth ≥ 2). */
const PARENT_ATTRIBUTES: Record<string, { parent?: string; ancestor?: string }> = {
  name: { parent: 'proc.pname', ancestor: 'proc.aname' },
  pid: { parent: 'proc.ppid', ancestor: 'proc.apid' },
  exe: { parent: 'proc.pexe', ancestor: 'proc.aexe' },
  exepath: { parent: 'proc.pexepath', ancestor: 'proc.aexepath' },
  cmdline: { parent: 'proc.pcmdline', ancestor: 'proc.acmdline' },
  args: { ancestor: 'proc.aargs' },
  vpid: { parent: 'proc.pvpid' },
};

/** Deepest `proc.parent.parent…` spelling accepted (deeper chains read better as proc.aname[N]). */
const MAX_PARENT_CHAIN = 8;

const PARENT_SPELLING = /^proc\.((?:parent\.)+)([a-z]+)$/;

export function findAlias(name: string): FieldAlias | undefined {
  const falco = FALCO_ALIASES[name];
  if (falco) return { name: falco, falco, falcoAccepts: true };
  const m = PARENT_SPELLING.exec(name);
  if (!m?.[1] || !m[2]) return undefined;
  const depth = m[1].length / 'parent.'.length;
  const attribute = PARENT_ATTRIBUTES[m[2]];
  if (!attribute || depth > MAX_PARENT_CHAIN) return undefined;
  if (depth === 1 && attribute.parent) return { name: attribute.parent, falco: attribute.parent, falcoAccepts: false };
  if (!attribute.ancestor) return undefined;
  return { name: attribute.ancestor, arg: String(depth), falco: `${attribute.ancestor}[${depth}]`, falcoAccepts: false };
}

/** The `proc.parent.*` spellings `pedigree fields` lists (one and two levels up). */
export function documentedAliases(): { alias: string; target: FieldAlias }[] {
  const out: { alias: string; target: FieldAlias }[] = [];
  for (const [from] of Object.entries(FALCO_ALIASES)) out.push({ alias: from, target: findAlias(from) as FieldAlias });
  for (const prefix of ['proc.parent.', 'proc.parent.parent.']) {
    for (const attribute of Object.keys(PARENT_ATTRIBUTES)) {
      const target = findAlias(`${prefix}${attribute}`);
      if (target) out.push({ alias: `${prefix}${attribute}`, target });
    }
  }
  return out;
}
