import type BetterSqlite3 from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { CHECKPOINT_DIGEST_BYTES, HEAD_CHECKPOINT, storedCheckpoints, type ContentIdentity } from './content-hash.js';
import { openContent } from './open-input.js';

/** A stored capture the new content may repeat, be a prefix of, or extend. */
export interface StoredCapture {
  captureId: number;
  path: string;
  sha256: string;
  contentSha256: string;
  contentBytes: number;
  checkpoints: Buffer;
  /**
   * Its first bytes are known to equal the new content's (compared whole, or at the 4 KiB
   * checkpoint). A new file under 4 KiB is a weak match of every longer capture: only its
   * prefix check against the stored file can tell.
   */
  strong: boolean;
}

export type EvidenceRelation =
  | { kind: 'new' }
  | { kind: 'same'; capture: StoredCapture }
  | { kind: 'prefix'; capture: StoredCapture }
  | { kind: 'extends'; capture: StoredCapture };

/**
 * Stored captures whose content begins like this one's (its first bytes, already read to detect
 * the format). Only these can be the same evidence, so only their lengths need probing while the
 * new content is hashed.
 */
export function candidateCaptures(db: BetterSqlite3.Database, head: Buffer, headIsWhole: boolean): StoredCapture[] {
  const rows = db
    .prepare(`SELECT capture_id, path, sha256, content_sha256, content_bytes, content_checkpoints FROM captures
              WHERE content_sha256 IS NOT NULL AND same_as_capture_id IS NULL`)
    .all() as { capture_id: bigint; path: string; sha256: string; content_sha256: string; content_bytes: bigint; content_checkpoints: Buffer | null }[];
  const headDigest = head.length >= HEAD_CHECKPOINT ? sha256Hex(head.subarray(0, HEAD_CHECKPOINT)).slice(0, 2 * CHECKPOINT_DIGEST_BYTES) : null;
  const out: StoredCapture[] = [];
  for (const r of rows) {
    const stored: StoredCapture = {
      captureId: Number(r.capture_id),
      path: r.path,
      sha256: r.sha256,
      contentSha256: r.content_sha256,
      contentBytes: Number(r.content_bytes),
      checkpoints: storedCheckpoints(r.content_checkpoints ?? Buffer.alloc(0), Number(r.content_bytes)),
      strong: true,
    };
    if (stored.contentBytes <= head.length) {
      // The stored content is shorter than what was sniffed: compare it whole.
      if (sha256Hex(head.subarray(0, stored.contentBytes)) === stored.contentSha256) out.push(stored);
    } else if (headDigest !== null) {
      if (stored.checkpoints.subarray(0, CHECKPOINT_DIGEST_BYTES).toString('hex') === headDigest) out.push(stored);
    } else if (headIsWhole) {
      // Content shorter than the first checkpoint: it can only be a prefix; the stored file decides.
      out.push({ ...stored, strong: false });
    }
  }
  return out;
}

/** How the new content relates to the candidates, once it has been read and hashed. */
export async function relateEvidence(content: ContentIdentity, candidates: StoredCapture[]): Promise<EvidenceRelation> {
  for (const c of candidates) if (c.contentSha256 === content.sha256 && c.contentBytes === content.bytes) return { kind: 'same', capture: c };
  // The longest stored capture this content extends.
  const extended = candidates
    .filter((c) => c.contentBytes < content.bytes && content.probes.get(c.contentBytes) === c.contentSha256)
    .sort((a, b) => b.contentBytes - a.contentBytes)[0];
  if (extended) return { kind: 'extends', capture: extended };
  for (const c of candidates) {
    if (c.contentBytes <= content.bytes) continue;
    if (!c.checkpoints.subarray(0, content.checkpoints.length).equals(content.checkpoints)) continue;
    // Checkpoints cover whole 64 KiB steps; the stored file settles the bytes after the last one.
    if ((await storedPrefixSha256(c, content.bytes)) === content.sha256) return { kind: 'prefix', capture: c };
  }
  return { kind: 'new' };
}

/** sha256 of the first `length` content bytes of a stored capture's file, if it is still there unchanged. */
async function storedPrefixSha256(c: StoredCapture, length: number): Promise<string | null> {
  try {
    const magic = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      createReadStream(c.path, { start: 0, end: 1 })
        .on('data', (b) => parts.push(b as Buffer))
        .on('end', () => resolve(Buffer.concat(parts)))
        .on('error', reject);
    });
    const gzip = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    const fileHash = createHash('sha256');
    const prefix = createHash('sha256');
    let seen = 0;
    const stream = openContent(c.path, gzip, (chunk) => fileHash.update(chunk));
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const take = Math.min(chunk.length, length - seen);
      if (take > 0) prefix.update(chunk.subarray(0, take));
      seen += take;
    }
    if (fileHash.digest('hex') !== c.sha256 || seen < length) return null;
    return prefix.digest('hex');
  } catch {
    return null;
  }
}

function sha256Hex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
