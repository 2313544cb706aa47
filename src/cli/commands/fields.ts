import { Command } from 'commander';
import { allFields } from '../../fields/falco-fields.js';
import { outputMode, outputOptions } from '../common-options.js';
import { printRows } from '../output.js';

export function makeFieldsCommand(): Command {
  const cmd = new Command('fields').description('list the Falco fields pedigree can answer, with type and meaning');
  for (const o of outputOptions()) cmd.addOption(o);
  cmd.action((opts) => {
    printRows(
      allFields().map((f) => ({
        field: f.arg === 'depth' ? `${f.name}[N]` : f.arg === 'key' ? `${f.name}[KEY]` : f.name,
        type: f.type,
        description: f.description,
      })),
      outputMode(opts),
    );
  });
  return cmd;
}
