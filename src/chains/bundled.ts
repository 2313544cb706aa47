import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The chain rules shipped with pedigree (rules/chains.yaml), used when no file is named. */
export const BUNDLED_CHAIN_RULES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules', 'chains.yaml');
