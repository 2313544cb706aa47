import type { Screen } from './state/nav-state.js';

/** Where a key works: a screen, the ancestry pane, or everywhere a text field is not open. */
export type KeyPlace = Screen | 'ancestry' | 'global';

export interface KeyHelp {
  keys: string;
  does: string;
  place: KeyPlace;
  /** Shown in the footer too (the footer has room for the most used ones only). */
  footer?: boolean;
}

/** Every key, once: the footer and the help screen are both drawn from this list. */
export const KEYMAP: KeyHelp[] = [
  { keys: '1', does: 'overview', place: 'global' },
  { keys: '2', does: 'process tree', place: 'global' },
  { keys: '3', does: 'alerts', place: 'global' },
  { keys: '4', does: 'chain matches', place: 'global' },
  { keys: ':', does: 'SQL prompt', place: 'global' },
  { keys: 'R', does: 'write an HTML report of the selection (host, container, chain match) and say where', place: 'global' },
  { keys: 'r', does: 'reload the screens from the case (also done by itself when an import finishes)', place: 'global' },
  { keys: '?', does: 'help', place: 'global', footer: true },
  { keys: 'q', does: 'quit', place: 'global', footer: true },

  { keys: '↑↓ j k', does: 'move', place: 'overview', footer: true },
  { keys: 'Enter', does: 'open the host or container tree', place: 'overview', footer: true },
  { keys: 'PgUp PgDn', does: 'page', place: 'overview' },

  { keys: '↑↓ j k', does: 'move', place: 'tree', footer: true },
  { keys: '→ l', does: 'expand (load children)', place: 'tree', footer: true },
  { keys: '← h', does: 'collapse, or go to parent', place: 'tree', footer: true },
  { keys: 'Enter', does: 'expand/collapse, or load the next page of siblings', place: 'tree' },
  { keys: 'p', does: 'jump to parent', place: 'tree' },
  { keys: '] [', does: 'next / previous sibling', place: 'tree' },
  { keys: 'c', does: 'collapse all', place: 'tree' },
  { keys: 'g G', does: 'first / last line', place: 'tree' },
  { keys: 'PgUp PgDn', does: 'page', place: 'tree' },
  { keys: '/', does: 'search name, command line or pid', place: 'tree', footer: true },
  { keys: 'Tab', does: 'in the / prompt: search the whole case instead of this tree (and back)', place: 'tree' },
  { keys: 'n N', does: 'next / previous match (n past the last one read reads the next page)', place: 'tree', footer: true },
  { keys: 'Tab', does: 'walk the ancestry of the selection', place: 'tree', footer: true },
  { keys: 'H', does: 'show the whole host tree around the selection', place: 'tree' },
  { keys: 'e', does: 'show / hide the environment', place: 'tree' },

  { keys: '↑↓ j k', does: 'select an ancestry step (fields follow)', place: 'ancestry', footer: true },
  { keys: 'Enter', does: 'show the step in the tree', place: 'ancestry', footer: true },
  { keys: 'PgUp PgDn', does: 'scroll the detail pane', place: 'ancestry' },
  { keys: 'e', does: 'show / hide the environment', place: 'ancestry' },
  { keys: 'Tab Esc', does: 'back to the tree', place: 'ancestry', footer: true },

  { keys: '↑↓ j k', does: 'move', place: 'alerts', footer: true },
  { keys: 'Enter', does: 'jump to the process, ancestry shown', place: 'alerts', footer: true },
  { keys: 'f', does: 'filter by rule, output or priority text', place: 'alerts', footer: true },
  { keys: 'p', does: 'cycle the minimum priority', place: 'alerts', footer: true },
  { keys: 'PgUp PgDn', does: 'page', place: 'alerts' },

  { keys: '↑↓ j k', does: 'move between matches', place: 'chains', footer: true },
  { keys: '←→ h l', does: 'select a step of the match (its exec, process, lineage)', place: 'chains', footer: true },
  { keys: 'Tab', does: 'next step, wrapping (Shift+Tab previous)', place: 'chains' },
  { keys: 'Enter', does: "show the step's process in the tree, ancestry shown", place: 'chains', footer: true },
  { keys: 'PgUp PgDn', does: 'page', place: 'chains' },

  { keys: 'Enter', does: 'run the query (read-only, at most 500 rows)', place: 'sql', footer: true },
  { keys: 'Esc', does: 'cancel a running query / leave the prompt', place: 'sql', footer: true },
  { keys: 'Tab', does: 'switch between prompt and results', place: 'sql', footer: true },
  { keys: '↑↓ ←→', does: 'scroll the results', place: 'sql', footer: true },
];

function keysFor(place: KeyPlace): KeyHelp[] {
  return KEYMAP.filter((k) => k.place === place);
}

/** `↑↓ j k move · Enter open …` for the footer. */
export function footerText(place: KeyPlace): string {
  return [...(place === 'global' ? [] : keysFor(place)), ...keysFor('global')]
    .filter((k) => k.footer)
    .map((k) => `${k.keys} ${k.does.split(/[,(]/)[0]?.trim()}`)
    .join(' · ');
}
