import { lineBatches } from './line-splitter.js';

export interface JsonText {
  /** The JSON text of one value. */
  text: string;
  /** 1-based line where it starts. */
  line: number;
}

/**
 * The JSON values of a stream written one per line (JSON lines) or pretty-printed one after
 * another (a value whose first line is a lone `{` runs until its braces balance). Only the
 * split is done here; parsing stays with the reader so a damaged value names its line. Values
 * come in groups, those that end in one chunk of the stream.
 */
export async function* jsonValues(stream: AsyncIterable<Buffer>): AsyncIterable<JsonText[]> {
  let parts: string[] | null = null;
  let depth = 0;
  let startLine = 0;
  for await (const batch of lineBatches(stream)) {
    const values: JsonText[] = [];
    for (const { text, line } of batch) {
      if (parts === null) {
        const trimmed = text.trim();
        if (trimmed === '') continue;
        if (trimmed !== '{') {
          values.push({ text, line });
          continue;
        }
        parts = [];
        depth = 0;
        startLine = line;
      }
      parts.push(text);
      depth += braceBalance(text);
      if (depth <= 0) {
        values.push({ text: parts.join('\n'), line: startLine });
        parts = null;
      }
    }
    if (values.length > 0) yield values;
  }
  if (parts !== null) yield [{ text: parts.join('\n'), line: startLine }];
}

/** Opening minus closing braces outside JSON strings. */
function braceBalance(text: string): number {
  let balance = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) balance++;
    else if (c === 125) balance--;
  }
  return balance;
}
