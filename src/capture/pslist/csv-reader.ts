import { parse } from 'csv-parse';
import type { LineageEvent } from '../../events/lineage-event.js';
import { EventBatcher } from '../event-batcher.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BadRecord, badRecord, defaultHost } from '../record-errors.js';
import { mapColumns } from './column-map.js';
import { snapshotFromValues, type SnapshotField } from './snapshot-row.js';

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
    // relax_quotes: a quote inside an unquoted field (`sh -c echo "hi"`) is a literal character,
    // as EDR exports write command lines. Rows that still do not parse are skipped with a
    // warning under --skip-bad.
    const csv = parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: ctx.skipBad,
      trim: false,
      relax_quotes: true,
      skip_records_with_error: ctx.skipBad,
    });
    csv.on('skip', (err: { lines?: number; message: string }) => badRecord(ctx, err.lines ?? 0, err.message));
    const parser = input.stream.pipe(csv);
    let columns: Map<SnapshotField, number> | undefined;
    let width = 0;
    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        if (!columns) {
          columns = mapColumns(record, ctx.options.map);
          width = record.length;
          continue;
        }
        try {
          if (record.length !== width) throw new BadRecord(`${record.length} fields, the header has ${width}`);
          const values: Partial<Record<SnapshotField, string>> = {};
          for (const [field, idx] of columns) values[field] = record[idx];
          const ev = snapshotFromValues(values, host);
          ev.pos = { line: info.lines };
          out.push(ev);
        } catch (err) {
          if (!(err instanceof BadRecord) && !(err instanceof SyntaxError)) throw err;
          badRecord(ctx, info.lines, err.message);
        }
        const batch = out.take();
        if (batch) yield batch;
      }
    } catch (err) {
      const e = err as { code?: string; lines?: number; message: string };
      // csv-parse's own errors carry an upper-case code (INVALID_OPENING_QUOTE, CSV_…) and the line.
      if (typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) && typeof e.lines === 'number') {
        badRecord({ ...ctx, skipBad: false }, e.lines, e.message);
      }
      throw err;
    }
    const last = out.take(true);
    if (last) yield last;
  },
};
