import type { LineageEvent } from '../../events/lineage-event.js';
import { InputError } from '../../util/errors.js';
import type { CaptureReader, ReaderContext, ReaderInput } from '../reader.js';
import { BlockFramer, FramingError } from './block-framer.js';
import { SHB, SHB_MAGIC } from './block-types.js';
import { ScapBlockDecoder } from './scap-block-decoder.js';

/** Falco / sysdig capture files (`sysdig -w`, Falco captures), plain or gzip (scap-format.md). */
export const scapReader: CaptureReader = {
  format: 'scap',
  description: 'Falco / sysdig .scap capture (plain or gzip)',
  detect(head) {
    return head.length >= 12 && head.readUInt32LE(0) === SHB && head.readUInt32LE(8) === SHB_MAGIC;
  },
  binary: true,
  read(input: ReaderInput, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
    return readScapChunks(input.stream, ctx);
  },
};

/** The blocks framed from the content's chunks; a chunk is not used once the next is asked for. */
async function* readScapChunks(chunks: AsyncIterable<Buffer>, ctx: ReaderContext): AsyncIterable<LineageEvent[]> {
  const decoder = new ScapBlockDecoder(ctx);
  const framer = new BlockFramer(decoder.handleBlock, {
    resync: ctx.skipBad,
    onCorrupt: (err) => ctx.warn({ location: { file: ctx.file, offset: err.offset }, message: `${err.message}; searching for the next intact block` }),
    onResynced: (from, to) =>
      ctx.warn({ location: { file: ctx.file, offset: from }, message: `skipped ${to - from} bytes of damaged data (bytes ${from}..${to})` }),
    onBlockRun: decoder.skipRun,
  });
  let end: ReturnType<BlockFramer['end']>;
  try {
    for await (const chunk of chunks) {
      framer.push(chunk);
      if (decoder.events.out.length > 0) yield decoder.take();
    }
    end = framer.end();
  } catch (err) {
    if (err instanceof FramingError) {
      throw new InputError('INPUT_CORRUPT', { file: ctx.file, offset: err.offset }, err.message.replace(/^corrupt block at byte \d+ /, 'corrupt block '));
    }
    throw err;
  }
  decoder.finish();
  if (end.truncatedAt !== null) {
    if (!decoder.sawSection) {
      throw new InputError('INPUT_TRUNCATED', { file: ctx.file, offset: 0 }, 'the capture ends inside its section header block');
    }
    ctx.warn({
      location: { file: ctx.file, offset: end.truncatedAt },
      message: 'the capture ends in the middle of a block (truncated); everything before it was imported',
    });
    ctx.markTruncated(end.truncatedAt);
  }
  if (decoder.events.out.length > 0) yield decoder.take();
}
