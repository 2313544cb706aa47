import { closeSync, openSync, readSync } from 'node:fs';
import type { ContentHasher } from './content-hash.js';
import { SLOT_BYTES } from './hash-ring.js';

/** Memory the next chunk is read into, and what happens to it once it holds `length` bytes. */
export interface ChunkTarget {
  reserve(): Buffer;
  publish(length: number): void;
}

/** Each chunk read into one reused buffer and handed to `hasher` (hashed here, or copied to the hashing thread). */
export function hashInLine(hasher: Pick<ContentHasher, 'update'>): ChunkTarget {
  const buffer = Buffer.allocUnsafeSlow(SLOT_BYTES);
  return {
    reserve: () => buffer,
    publish: (length) => hasher.update(buffer.subarray(0, length)),
  };
}

/**
 * A plain file's bytes as chunks in reused memory, each hashed (published to `target`) as it
 * is read, for a reader, which copies what it keeps (ReaderInput.stream): synchronous
 * reads into the hash thread's ring slots or one reused buffer, no stream, no allocation per
 * chunk (a stream's fresh 1 MiB buffers cost as much CPU as reading the file: 0.5 s per GB).
 * `whole` is set once the end of the file was reached.
 */
export function plainFileChunks(path: string, target: ChunkTarget, onChunk: (chunk: Buffer) => void): AsyncIterable<Buffer> & { whole: boolean } {
  const source = {
    whole: false,
    async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
      const fd = openSync(path, 'r');
      try {
        for (;;) {
          const memory = target.reserve();
          const n = readSync(fd, memory, 0, memory.length, null);
          if (n === 0) break;
          target.publish(n);
          const chunk = memory.subarray(0, n);
          onChunk(chunk);
          yield chunk;
        }
        source.whole = true;
      } finally {
        closeSync(fd);
      }
    },
  };
  return source;
}
