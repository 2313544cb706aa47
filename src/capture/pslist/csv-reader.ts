import type { LineageEvent } from '../../events/lineage-event.js';
import { InputError, PedigreeError } from '../../util/errors.js';
import { EventBatcher } from '../event-batcher.js';
import { lineBatches } from '../line-splitter.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost } from '../record-errors.js';
import { mapColumns } from './column-map.js';
import { CsvRecords } from './csv-records.js';
import { snapshotFromValues, type SnapshotField } from './snapshot-row.js';

/** Bytes no text header holds: NUL and the C0 controls other than tab, line feed and carriage return. */
const CONTROL_BYTES = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

/**
 * Which column feeds each field. A header without a pid column, when no --map was given, is the
 * file's problem (not CSV of a process list), said with its place.
 */
function headerColumns(fields: string[], ctx: ReaderContext, line: number): Map<SnapshotField, number> {
  try {
    return mapColumns(fields, ctx.options.map);
  } catch (err) {
    if (ctx.options.map !== undefined || !(err instanceof PedigreeError)) throw err;
    throw new InputError('INPUT_FORMAT', { file: ctx.file, line }, err.message);
  }
}

/** Process-list CSV (EDR, osquery `--csv --separator ,`, `/proc` walks) with a header row. */
export const csvReader: CaptureReader = {
  format: 'csv',
  description: 'process list as CSV with a header (column mapping: --map pid=ProcessId,…)',
  detect(head) {
    const first = (head.toString('utf8', 0, Math.min(head.length, 4096)).split('\n', 1)[0] ?? '').toLowerCase();
    return first.includes(',') && /(^|,)"?(pid|processid|process\.pid)"?(,|$)/.test(first.replace(/\r$/, ''));
  },
  async *read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    const host = defaultHost(ctx);
    const out = new EventBatcher();
    const records = new CsvRecords();
    let columns: [SnapshotField, number][] | undefined;
    let width = 0;
    // Every row sets the same fields (the mapped ones): one object serves them all.
    const values: Partial<Record<SnapshotField, string>> = {};
    for await (const lines of lineBatches(input.stream)) {
      for (const { text, line } of lines) {
        let at = line;
        try {
          const record = records.push(text, line);
          if (record === null) continue;
          at = record.line;
          const fields = record.fields;
          if (!columns) {
            if (CONTROL_BYTES.test(text)) throw new BadRecord('the header row holds control bytes: this is not CSV text');
            columns = [...headerColumns(fields, ctx, at)];
            width = fields.length;
            continue;
          }
          if (fields.length !== width) throw new BadRecord(`${fields.length} fields, the header has ${width}`);
          for (const [field, idx] of columns) values[field] = fields[idx];
          const ev = snapshotFromValues(values, host);
          ev.pos = { line: record.line };
          out.push(ev);
        } catch (err) {
          if (!(err instanceof BadRecord)) throw err;
          // A header that does not parse leaves nothing to read the rows by.
          badRecord(columns ? ctx : { ...ctx, skipBad: false }, at, err.message);
        }
      }
      const batch = out.take();
      if (batch) yield batch;
    }
    const open = records.unfinished();
    if (open !== null) badRecord(ctx, open, `Quote Not Closed: the file ends inside the quoted field that begins on line ${open}`);
    const last = out.take(true);
    if (last) yield last;
  },
};
