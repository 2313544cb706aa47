import { createHash, type Hash } from 'node:crypto';

/** First checkpoint: a capture whose first 4 KiB match a stored one's may repeat or extend it. */
export const HEAD_CHECKPOINT = 4096;
/** Later checkpoints, every 64 KiB of content. */
const CHECKPOINT_EVERY = 64 * 1024;

/**
 * Bytes kept of each checkpoint's sha256. Checkpoints only narrow down which stored captures a
 * new file may repeat, extend or be a prefix of; each of those relations is then settled by full
 * digests (the content's sha256, the probe digests) or by hashing the stored file again. Eight
 * bytes make a false candidate a 2^-64 event, and a case 4× fewer checkpoint bytes (32 per 64 KiB
 * of capture were 9 bytes per exec of a 1 GB .scap).
 */
export const CHECKPOINT_DIGEST_BYTES = 8;

/** The content offsets at which a checkpoint digest is taken: 4 KiB, then every 64 KiB. */
function isCheckpoint(offset: number): boolean {
  return offset === HEAD_CHECKPOINT || (offset > 0 && offset % CHECKPOINT_EVERY === 0);
}

/** How many checkpoints content of this length has. */
function checkpointCount(bytes: number): number {
  return (bytes >= HEAD_CHECKPOINT ? 1 : 0) + Math.floor(bytes / CHECKPOINT_EVERY);
}

/**
 * A capture's stored checkpoints as CHECKPOINT_DIGEST_BYTES per checkpoint. Cases imported
 * before the digests were shortened hold whole 32-byte digests: those are cut to the same prefix.
 */
export function storedCheckpoints(blob: Buffer, contentBytes: number): Buffer {
  const count = checkpointCount(contentBytes);
  if (count === 0 || blob.length !== 32 * count) return blob;
  const out = Buffer.alloc(count * CHECKPOINT_DIGEST_BYTES);
  for (let i = 0; i < count; i++) blob.copy(out, i * CHECKPOINT_DIGEST_BYTES, i * 32, i * 32 + CHECKPOINT_DIGEST_BYTES);
  return out;
}

export interface ContentIdentity {
  /** sha256 of the whole (decompressed) content, hex. */
  sha256: string;
  bytes: number;
  /** sha256 of content[0:k] at each checkpoint k, its first CHECKPOINT_DIGEST_BYTES raw bytes each, in order. */
  checkpoints: Buffer;
  /** sha256 of content[0:n] for each asked-for length n the content reached. */
  probes: Map<number, string>;
  /** Lines of text content (newlines, plus a last line without one). */
  lines?: number;
}

/**
 * sha256 of a capture's decompressed content, fed chunk by chunk in the reader's own pass, with
 * the digests of its prefixes at fixed checkpoints and at the lengths of captures already in the
 * case (so a file that extends a stored capture is recognised exactly, in the same pass).
 */
export class ContentHasher {
  private readonly hash: Hash = createHash('sha256');
  /**
   * The checkpoint digests' bytes, one after another in a buffer that doubles as it fills: a
   * Buffer kept per checkpoint (every 64 KiB) held ~200 B of heap and native memory each, and
   * made a 7.6 GB import's peak RSS ~60 MB higher at its end than at its start.
   */
  private checkpoints = Buffer.allocUnsafe(1024 * CHECKPOINT_DIGEST_BYTES);
  private checkpointBytes = 0;
  private readonly probes = new Map<number, string>();
  private stops: number[];
  private next = 0;
  bytes = 0;
  /** Newline bytes seen: the line count of a text capture. */
  newlines = 0;

  /**
   * `countLines`: false for binary content (a .scap read in chunks), whose "lines" describe
   * nothing and cost a real capture's hashing thread ~15 ms per 100 MB to count.
   */
  constructor(
    probeLengths: Iterable<number> = [],
    private readonly countLines = true,
  ) {
    const stops = new Set<number>();
    for (const n of probeLengths) if (n > 0) stops.add(n);
    this.stops = [...stops].sort((a, b) => a - b);
  }

  update(chunk: Buffer): void {
    if (this.countLines) for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) this.newlines++;
    let at = 0;
    while (at < chunk.length) {
      const stop = this.nextStop();
      const take = Math.min(chunk.length - at, stop - this.bytes);
      this.hash.update(take === chunk.length && at === 0 ? chunk : chunk.subarray(at, at + take));
      this.bytes += take;
      at += take;
      if (this.bytes === stop) this.mark();
    }
    if (chunk.length > 0) this.endsWithNewline = chunk[chunk.length - 1] === 10;
  }

  private endsWithNewline = false;

  /**
   * Probe lengths learnt after hashing began (a reading thread started before the case was
   * open). A length the content has not reached yet is taken as it passes; one it has passed
   * gets the digest of the content's first bytes hashed again by `prefixProbes` (a hasher given
   * those lengths and fed the content from its start).
   */
  addProbes(lengths: Iterable<number>, prefixProbes: (passed: number[]) => Map<number, string>): void {
    const ahead = new Set(this.stops);
    const passed: number[] = [];
    for (const n of lengths) {
      if (n <= 0 || this.probes.has(n)) continue;
      if (n === this.bytes) this.probes.set(n, this.hash.copy().digest('hex'));
      else if (n < this.bytes) passed.push(n);
      else ahead.add(n);
    }
    if (passed.length > 0) for (const [n, digest] of prefixProbes(passed)) this.probes.set(n, digest);
    this.stops = [...ahead].sort((a, b) => a - b);
    this.next = 0;
  }

  finish(): ContentIdentity {
    return {
      sha256: this.hash.digest('hex'),
      bytes: this.bytes,
      checkpoints: Buffer.from(this.checkpoints.subarray(0, this.checkpointBytes)),
      probes: this.probes,
      lines: this.countLines ? this.newlines + (this.bytes > 0 && !this.endsWithNewline ? 1 : 0) : undefined,
    };
  }

  /** The next offset where a digest is due: a checkpoint or a probe length. */
  private nextStop(): number {
    while (this.next < this.stops.length && this.stops[this.next]! <= this.bytes) this.next++;
    const probe = this.stops[this.next] ?? Number.POSITIVE_INFINITY;
    const checkpoint = this.bytes < HEAD_CHECKPOINT ? HEAD_CHECKPOINT : (Math.floor(this.bytes / CHECKPOINT_EVERY) + 1) * CHECKPOINT_EVERY;
    return Math.min(probe, checkpoint);
  }

  private mark(): void {
    const digest = this.hash.copy().digest();
    if (isCheckpoint(this.bytes)) {
      if (this.checkpointBytes === this.checkpoints.length) {
        const grown = Buffer.allocUnsafe(this.checkpoints.length * 2);
        this.checkpoints.copy(grown);
        this.checkpoints = grown;
      }
      this.checkpointBytes += digest.copy(this.checkpoints, this.checkpointBytes, 0, CHECKPOINT_DIGEST_BYTES);
    }
    if (this.stops[this.next] === this.bytes) this.probes.set(this.bytes, digest.toString('hex'));
  }
}
