import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The lists and macros of Falco's default rules file (falco_rules.yaml) that pedigree bundles in
 * rules/falco-defaults.yaml (Apache-2.0, provenance in its header), loaded before the user's
 * files with --with-falco-defaults, and used to tell a user whose file names one of them without
 * defining it where it comes from.
 */
export const FALCO_DEFAULTS_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'rules', 'falco-defaults.yaml');

let names: { macros: Set<string>; lists: Set<string> } | undefined;

function defaultNames(): { macros: Set<string>; lists: Set<string> } {
  if (!names) {
    names = { macros: new Set(), lists: new Set() };
    let text = '';
    try {
      text = readFileSync(FALCO_DEFAULTS_FILE, 'utf8');
    } catch {
      // Without the bundled file there is nothing to point to; messages stay as Falco's.
    }
    for (const m of text.matchAll(/^- (macro|list): *(\S+)/gm)) {
      (m[1] === 'macro' ? names.macros : names.lists).add(m[2] as string);
    }
  }
  return names;
}

const HOW_TO_LOAD =
  "Falco's default rules file falco_rules.yaml defines it: name that file before yours (pedigree rules run falco_rules.yaml FILE …) or add --with-falco-defaults to load the definitions pedigree bundles";

/** The hint for an undefined macro, when Falco's default rules define it. */
export function undefinedMacroHint(name: string): string {
  return defaultNames().macros.has(name) ? `; ${HOW_TO_LOAD}` : '';
}

/** True when Falco's default rules define a list of this name. */
export function isFalcoDefaultList(name: string): boolean {
  return defaultNames().lists.has(name);
}

export function falcoDefaultsHowToLoad(): string {
  return HOW_TO_LOAD;
}
