import { ForgottenIds } from './forgotten-ids.js';

/** What the reader keeps of an image: the exec id its process is known by (its first image's), and its pid. */
export interface KnownImage {
  process: string;
  pid: number;
}

/** Running images held at most; past it the oldest is forgotten (~180 B each: ~36 MB). */
const RUNNING_IMAGES = 200_000;
/** Images that exited or were replaced by an exec in place, held for the children and ancestor lists that still name them. */
const ENDED_IMAGES = 50_000;

/**
 * The Tetragon images seen so far, by exec_id, in bounded memory. An image stays while it runs;
 * when it exits (or its process execs in place) it moves to a window of recently ended images,
 * which later children and ancestor lists may still name. Evidence whose processes never exit
 * would otherwise grow this table with every exec (1M execs: ~180 MB), so past RUNNING_IMAGES
 * the oldest running image is forgotten; forgotten ids are remembered in a Bloom filter so that
 * a later event naming one is counted (`forgottenHits`) and reported, never silently mislinked.
 */
export class ImageTable {
  private readonly running = new Map<string, KnownImage>();
  private readonly ended = new Map<string, KnownImage>();
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
  ) {}

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
    if (this.running.size > this.runningCap) {
      this.forget(this.running);
      this.forgottenRunning++;
    }
  }

  /** The image no longer runs (it exited, or its process exec'd in place): kept a while for those that name it. */
  end(id: string): void {
    const image = this.running.get(id);
    if (image === undefined) return;
    this.running.delete(id);
    this.ended.set(id, image);
    if (this.ended.size > this.endedCap) {
      this.forget(this.ended);
      this.forgottenEnded++;
    }
  }

  /** Drops the oldest entry of `map` (Maps iterate in insertion order), remembering its id. */
  private forget(map: Map<string, KnownImage>): void {
    const oldest = map.keys().next().value as string;
    map.delete(oldest);
    this.forgotten ??= new ForgottenIds();
    this.forgotten.add(oldest);
  }
}
