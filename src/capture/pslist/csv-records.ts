import { MAX_LINE_BYTES } from '../line-splitter.js';
import { BadRecord } from '../record-errors.js';

const QUOTE = 34;

/** One CSV record: its fields and the line it begins on. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Joins lines into CSV records (RFC 4180: fields in double quotes may hold commas, doubled
 * quotes and line breaks). Lenient where exports are: a quote inside an unquoted field is a
 * literal character (`sh -c echo "hi"`), and so is text after a closing quote up to the next
 * comma (`"C:\Program Files\x.exe" -k` stays as written). Empty lines are skipped. A line with
 * no quote is split on commas directly: the common case costs one scan.
 */
export class CsvRecords {
  private fields: string[] = [];
  /** Raw text (from its opening quote) of a quoted field that has not closed yet. */
  private open: string[] | null = null;
  private openBytes = 0;
  private startLine = 0;

  /** The record this line completes, or null (an empty line, or a quoted field still open). */
  push(text: string, line: number): CsvRecord | null {
    if (this.open === null) {
      if (text.length === 0) return null;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.startLine = line;
      if (text.indexOf('"') < 0) return { fields: text.split(','), line };
      return this.fieldsFrom(text, 0, true);
    }
    const close = closingQuote(text, 0);
    if (close < 0) {
      this.open.push('\n', text);
      this.openBytes += text.length + 1;
      if (this.openBytes > MAX_LINE_BYTES) {
        this.reset();
        throw new BadRecord(`Quote Not Closed: the quoted field that begins on line ${this.startLine} runs past ${MAX_LINE_BYTES / 1024 / 1024} MiB`);
      }
      return null;
    }
    this.open.push('\n', text);
    const joined = this.open.join('');
    this.open = null;
    // The field and the rest of its record as one line: the field begins at 0.
    const k = this.endQuoted(joined, 0, joined.length - text.length + close);
    return this.fieldsFrom(joined, k, false);
  }

  /** The line a record still open at the end of the input begins on, or null when none is. */
  unfinished(): number | null {
    return this.open === null ? null : this.startLine;
  }

  /** Forgets a record in progress (after it was reported as damaged). */
  reset(): void {
    this.fields = [];
    this.open = null;
    this.openBytes = 0;
  }

  /** Reads the fields of `s` from `i`: the start of a field, or (`atField` false) the end of one. */
  private fieldsFrom(s: string, i: number, atField: boolean): CsvRecord | null {
    if (!atField) i = i >= s.length ? -1 : i + 1;
    while (i >= 0) {
      if (s.charCodeAt(i) === QUOTE) {
        const close = closingQuote(s, i + 1);
        if (close < 0) {
          this.open = [s.slice(i)];
          this.openBytes = s.length - i;
          return null;
        }
        i = this.endQuoted(s, i, close);
      } else {
        const comma = s.indexOf(',', i);
        this.fields.push(s.slice(i, comma < 0 ? s.length : comma));
        i = comma < 0 ? s.length : comma;
      }
      i = i >= s.length ? -1 : i + 1; // past the comma, or done
    }
    const record = { fields: this.fields, line: this.startLine };
    this.fields = [];
    return record;
  }

  /** Adds the quoted field from its opening quote at `open` to its closing one; returns where the field ends. */
  private endQuoted(s: string, open: number, close: number): number {
    const k = close + 1;
    if (k >= s.length || s.charCodeAt(k) === 44) {
      const content = s.slice(open + 1, close);
      this.fields.push(content.includes('""') ? content.replaceAll('""', '"') : content);
      return k;
    }
    const comma = s.indexOf(',', k);
    const end = comma < 0 ? s.length : comma;
    this.fields.push(s.slice(open, end));
    return end;
  }
}

/** The closing quote of a quoted field whose content starts at `from` (doubled quotes are content), or -1. */
function closingQuote(s: string, from: number): number {
  let q = s.indexOf('"', from);
  while (q >= 0 && s.charCodeAt(q + 1) === QUOTE) q = s.indexOf('"', q + 2);
  return q;
}
