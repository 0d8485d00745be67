/**
 * How many webhook attempts one relay process has in flight, in all and per subscription.
 *
 * Each attempt holds a slot from its claim until its outcome is recorded, and frees it on its own;
 * nothing waits for a batch. A subscription whose last attempt in this process answered 2xx may
 * have `perSubscription` attempts in flight (different interviews: order per interview allows one
 * at a time each); one that is new here, or whose last attempt failed (timed out, refused, non-2xx),
 * gets one, until an attempt succeeds again. So a dead or hanging receiver holds one slot however
 * many events queue up for it. A healthy subscription waits for a slot only once hanging ones
 * (one each) and healthy ones (up to `perSubscription` each) fill all `total` together, 256 by
 * default; even then a freed slot goes to the subscriptions with the fewest attempts in flight
 * first. The slow start also keeps a restarted worker from opening `perSubscription` connections
 * to a receiver it knows nothing about yet.
 *
 * The limits are per process: with several workers, a subscription may have that many per worker.
 */
export interface ConcurrencyLimits {
  /** WEBHOOK_CONCURRENCY: attempts in flight in this process (256). */
  total: number;
  /** WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION: attempts in flight to one proven subscription (4). */
  perSubscription: number;
}

export const DEFAULT_CONCURRENCY = 256;
export const DEFAULT_CONCURRENCY_PER_SUBSCRIPTION = 4;
/** What a subscription gets until it has answered 2xx in this process, and after any failure. */
export const PROBATION_CAP = 1;

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got ${raw}`);
  return value;
}

/**
 * Read from the environment here rather than from the validated Environment (libs/platform), with
 * the same rule: a value that is not a whole number in range stops the start.
 */
export function concurrencyLimits(env: NodeJS.ProcessEnv = process.env): ConcurrencyLimits {
  const total = whole(env, 'WEBHOOK_CONCURRENCY', DEFAULT_CONCURRENCY, 10_000);
  const perSubscription = whole(env, 'WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION', DEFAULT_CONCURRENCY_PER_SUBSCRIPTION, 1000);
  if (perSubscription > total) throw new Error(`WEBHOOK_CONCURRENCY_PER_SUBSCRIPTION (${perSubscription}) must not exceed WEBHOOK_CONCURRENCY (${total})`);
  return { total, perSubscription };
}

/** What the claim statement is told about this process's subscriptions. */
export interface ClaimRoom {
  /** Free slots in all: the most rows one claim may take. */
  limit: number;
  /** Subscriptions known here, with their attempts in flight and their cap. */
  ids: string[];
  inFlight: number[];
  caps: number[];
  /** The cap of a subscription not listed. */
  defaultCap: number;
}

export class DeliverySlots {
  private readonly inFlight = new Map<string, number>();
  /** Subscriptions whose last attempt in this process answered 2xx. */
  private readonly proven = new Set<string>();
  private busy = 0;

  constructor(readonly limits: ConcurrencyLimits) {}

  get size(): number {
    return this.busy;
  }

  capOf(webhookId: string): number {
    return this.proven.has(webhookId) ? this.limits.perSubscription : PROBATION_CAP;
  }

  room(): ClaimRoom {
    const room: ClaimRoom = { limit: Math.max(0, this.limits.total - this.busy), ids: [], inFlight: [], caps: [], defaultCap: PROBATION_CAP };
    for (const id of new Set([...this.inFlight.keys(), ...this.proven])) {
      const inFlight = this.inFlight.get(id) ?? 0;
      const cap = this.capOf(id);
      room.ids.push(id);
      room.inFlight.push(inFlight);
      room.caps.push(cap);
    }
    return room;
  }

  take(webhookId: string): void {
    this.busy++;
    this.inFlight.set(webhookId, (this.inFlight.get(webhookId) ?? 0) + 1);
  }

  /** `succeeded`: true after a 2xx, false after a failure, null when the outcome is unknown (standing unchanged). */
  release(webhookId: string, succeeded: boolean | null): void {
    this.busy--;
    const left = (this.inFlight.get(webhookId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(webhookId, left);
    else this.inFlight.delete(webhookId);
    if (succeeded === true) this.proven.add(webhookId);
    else if (succeeded === false) this.proven.delete(webhookId);
  }
}
