import { BoundedGenerations } from '../../util/bounded-generations.js';
import { ForgottenIds } from '../forgotten-ids.js';

/** What the reader keeps of an image: the exec id its process is known by (its first image's), and its pid. */
export interface KnownImage {
  process: string;
  pid: number;
}

/**
 * Running images held at most; past it the older half is forgotten (~180 B each: ~18 MB). Six
 * times the linker's own in-memory table, and far more than a host runs at once: only an export
 * that never records an exit reaches it (at 200,000, 5M such execs peaked at 308 MB).
 */
const RUNNING_IMAGES = 100_000;
/** Images that exited or were replaced by an exec in place, held for the children and ancestor lists that still name them. */
const ENDED_IMAGES = 50_000;

/**
 * The Tetragon images seen so far, by exec_id, in bounded memory. An image stays while it runs;
 * when it exits (or its process execs in place) it moves to a window of recently ended images,
 * which later children and ancestor lists may still name. Evidence whose processes never exit
 * would otherwise grow this table with every exec (1M execs: ~180 MB), so past `runningCap`
 * the older running images are forgotten; forgotten ids are remembered in a Bloom filter so that
 * a later event naming one is counted (`forgottenHits`) and reported, never silently mislinked.
 */
export class ImageTable {
  private readonly running: BoundedGenerations<KnownImage>;
  private readonly ended: BoundedGenerations<KnownImage>;
  private forgotten: ForgottenIds | null = null;
  /** Running images forgotten because too many ran at once. */
  forgottenRunning = 0;
  /** Ended images that left the window. */
  forgottenEnded = 0;
  /** Lookups that missed an id which was (most likely) forgotten. */
  forgottenHits = 0;

  constructor(
    readonly runningCap = RUNNING_IMAGES,
    readonly endedCap = ENDED_IMAGES,
  ) {
    this.running = new BoundedGenerations<KnownImage>(runningCap, (ids) => (this.forgottenRunning += this.forget(ids)));
    this.ended = new BoundedGenerations<KnownImage>(endedCap, (ids) => (this.forgottenEnded += this.forget(ids)));
  }

  /** How many images are held now. */
  get held(): { running: number; ended: number } {
    return { running: this.running.size, ended: this.ended.size };
  }

  /** The image, without counting a miss: for an id expected to be new. */
  peek(id: string): KnownImage | undefined {
    return this.running.get(id) ?? this.ended.get(id);
  }

  get(id: string): KnownImage | undefined {
    const image = this.running.get(id) ?? this.ended.get(id);
    if (image === undefined && this.forgotten?.mayHold(id)) this.forgottenHits++;
    return image;
  }

  set(id: string, image: KnownImage): void {
    this.running.set(id, image);
  }

  /** The image no longer runs (it exited, or its process exec'd in place): kept a while for those that name it. */
  end(id: string): void {
    const image = this.running.take(id);
    if (image !== undefined) this.ended.set(id, image);
  }

  private forget(ids: Iterable<string>): number {
    this.forgotten ??= new ForgottenIds();
    let n = 0;
    for (const id of ids) {
      this.forgotten.add(id);
      n++;
    }
    return n;
  }
}
