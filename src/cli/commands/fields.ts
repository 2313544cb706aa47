import { Command } from 'commander';
import { documentedAliases } from '../../fields/field-aliases.js';
import { allFields, findField } from '../../fields/falco-fields.js';
import { outputMode, outputOptions, unusedDbOption } from '../common-options.js';
import { printRows } from '../output.js';

export function makeFieldsCommand(): Command {
  const cmd = new Command('fields').description('list the Falco fields pedigree can answer, with type and meaning, and the other spellings it accepts');
  cmd.addOption(unusedDbOption());
  for (const o of outputOptions()) cmd.addOption(o);
  cmd.action((opts) => {
    const fields = allFields().map((f) => ({
      field: f.arg === 'depth' ? `${f.name}[N]` : f.arg === 'key' ? `${f.name}[KEY]` : f.name,
      type: f.type as string,
      description: f.description,
    }));
    const aliases = documentedAliases().map(({ alias, target }) => ({
      field: alias,
      type: findField(target.name)?.type ?? '',
      description: target.falcoAccepts ? `same as ${target.falco} (Falco accepts both)` : `same as ${target.falco}; Falco spells this ${target.falco}`,
    }));
    printRows([...fields, ...aliases], outputMode(opts));
  });
  return cmd;
}
