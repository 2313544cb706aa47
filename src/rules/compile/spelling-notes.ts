import { fieldsOf, type Expr, type FieldExpr } from '../condition/ast.js';
import { parseOutputFormat } from '../output/output-format.js';
import { fieldText } from './field-lookup.js';
import { lookupField } from '../../fields/lookup-field.js';

/**
 * Notes for fields written in a spelling pedigree accepts and Falco does not
 * (`proc.parent.name: Falco spells this proc.pname`), from the condition and the output, so a
 * rule meant for Falco can be fixed before it is deployed.
 */
export function spellingNotes(ast: Expr, output: string): string[] {
  const fields: FieldExpr[] = [...fieldsOf(ast)];
  for (const part of parseOutputFormat(output)) {
    if (part.kind === 'field' && part.operand.kind === 'field') fields.push(part.operand);
  }
  const notes = new Map<string, string>();
  for (const f of fields) {
    const alias = lookupField(f.name, f.arg)?.alias;
    if (!alias || alias.falcoAccepts) continue;
    const text = fieldText(f);
    notes.set(text, `${text}: Falco spells this ${alias.falco}`);
  }
  return [...notes.values()];
}
