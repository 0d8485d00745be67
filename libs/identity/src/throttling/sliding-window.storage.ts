import type { ThrottlerStorage } from '@nestjs/throttler';

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * The throttler's in-memory store, with the same sliding-window answers as @nestjs/throttler's own
 * (blockDuration 0: a refused request is not counted; Retry-After is the wait until the oldest
 * counted request leaves the window) at O(1) per request. The stock store filters a caller's whole
 * list of hits and spreads it into Math.min on every request, so its cost and garbage grow with the
 * caller's rate (a 288 kB array per request for one API key at 600 requests a second).
 *
 * A window's hits expire in the order they came (the ttl of a throttler is fixed), so each
 * (caller, throttler) keeps a queue of expiry times: expired ones leave from the front.
 */
class HitQueue {
  private times: number[] = [];
  private head = 0;

  get size(): number {
    return this.times.length - this.head;
  }

  /** The oldest counted hit's expiry; undefined when none is counted. */
  get oldest(): number | undefined {
    return this.head < this.times.length ? this.times[this.head] : undefined;
  }

  push(expiresAt: number): void {
    this.times.push(expiresAt);
  }

  prune(now: number): void {
    while (this.head < this.times.length && this.times[this.head] <= now) this.head++;
    if (this.head === this.times.length) {
      this.times = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}

export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly queues = new Map<string, HitQueue>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly sweepIntervalMs = 60_000) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    if (blockDuration > 0) throw new Error('SlidingWindowThrottlerStorage counts without blocking (blockDuration 0)');
    this.sweepLater();
    const id = `${throttlerName}\u0000${key}`;
    let queue = this.queues.get(id);
    if (!queue) this.queues.set(id, (queue = new HitQueue()));
    const now = Date.now();
    queue.prune(now);
    const isBlocked = queue.size >= limit;
    if (!isBlocked) queue.push(now + ttl);
    const untilOldestLeaves = Math.ceil(((queue.oldest ?? now + ttl) - now) / 1000);
    return {
      totalHits: queue.size + (isBlocked ? 1 : 0),
      timeToExpire: untilOldestLeaves,
      isBlocked,
      timeToBlockExpire: isBlocked ? untilOldestLeaves : 0,
    };
  }

  /** Forgets callers whose every counted hit has left the window. */
  sweep(now = Date.now()): void {
    for (const [id, queue] of this.queues) {
      queue.prune(now);
      if (queue.size === 0) this.queues.delete(id);
    }
  }

  /** How many (caller, throttler) pairs are tracked (for tests). */
  get trackedCount(): number {
    return this.queues.size;
  }

  private sweepLater(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), this.sweepIntervalMs);
    this.sweeper.unref();
  }
}
