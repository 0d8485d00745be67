import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Environment, Sql } from '#platform';
import { EventLog } from '../event-log';
import { signWebhook } from '../webhooks/signature';
import { checkTarget, postToTarget } from '../webhooks/webhook-target';
import { concurrencyLimits, DeliverySlots } from './delivery-slots';
import { OutcomeBatch } from './outcome-batch';
import { givesUp, retryDelayMs } from './retry-schedule';

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event_id: string;
  attempts: number;
  created_at: Date;
  url: string;
  secret: string;
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

interface RecordedOutcome {
  id: string;
  delivered: boolean;
  status: number | null;
  error: string | null;
  retryInMs: number;
}

/** An attempt under way; `abandoned` once shutdown stopped waiting for it (its lease brings it back). */
interface InFlight {
  done: Promise<void>;
  abandoned: boolean;
}

/**
 * Webhook delivery in two steps. Fan-out copies new events of the log into one delivery row per
 * matching subscription (advancing the subscription's position in the same statement). Delivery
 * claims due rows under a lease (`FOR UPDATE SKIP LOCKED`, so two workers never send the same one
 * at once), posts them, and records the outcome. A delivery waits while an earlier event of the
 * same interview is still pending for that subscription: order per interview holds.
 *
 * Each subscription progresses on its own (issue 16, item 3). `deliverDue` does not wait for the
 * attempts it starts: it claims only as many rows as there are free slots (DeliverySlots: a bound
 * in all and per subscription, one slot for a subscription that is failing), starts them, and
 * returns; each attempt records its outcome and frees its slot by itself, and then asks for the
 * next claim (`onSlotFreed`). The claim takes due rows round-robin over the subscriptions (the
 * subscription with the fewest attempts in flight here first), so a receiver that never answers
 * holds its own slot until WEBHOOK_TIMEOUT_MS and nobody else's. Before, a pass claimed 50 due
 * rows and awaited them all: with 100 subscriptions at a receiver that never answers, their
 * retries (the oldest events, so first in every batch) took each batch, and another subscriber's
 * events waited seconds to minutes (test/webhook-isolation.e2e-spec.ts).
 */
@Injectable()
export class WebhookRelay {
  private readonly logger = new Logger(WebhookRelay.name);
  private readonly slots = new DeliverySlots(concurrencyLimits());
  private readonly inFlight = new Set<InFlight>();
  /** Claims run one at a time in a process, so that each sees the slots the previous one took. */
  private claims: Promise<unknown> = Promise.resolve();
  private slotFreed: () => void = () => undefined;
  private readonly outcomes = new OutcomeBatch<RecordedOutcome>((batch) => this.writeOutcomes(batch));

  constructor(
    private readonly sql: Sql,
    private readonly log: EventLog,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /** Called each time an attempt has recorded its outcome (the relay claims again). */
  onSlotFreed(listener: () => void): void {
    this.slotFreed = listener;
  }

  async fanOut(): Promise<number> {
    const rows = await this.sql.query<{ count: string }>(`
      WITH subs AS (
        SELECT id, position, events FROM webhooks
         WHERE active AND state <> 'disabled'
         FOR UPDATE SKIP LOCKED
      ), batch AS (
        SELECT s.id AS webhook_id, s.events, e.id AS event_id, e.interview_id, e.type
          FROM subs s
          CROSS JOIN LATERAL (
            SELECT id, interview_id, type FROM interview_events WHERE id > s.position ORDER BY id LIMIT 1000
          ) e
      ), inserted AS (
        INSERT INTO webhook_deliveries (webhook_id, event_id, interview_id)
        SELECT webhook_id, event_id, interview_id FROM batch
         WHERE events @> ARRAY['*'] OR type = ANY (events)
        ON CONFLICT (webhook_id, event_id) DO NOTHING
        RETURNING 1
      ), moved AS (
        UPDATE webhooks w SET position = m.last
          FROM (SELECT webhook_id, max(event_id) AS last FROM batch GROUP BY webhook_id) m
         WHERE w.id = m.webhook_id
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM inserted) + (SELECT count(*) FROM moved) AS count`);
    return Number(rows[0].count);
  }

  /**
   * Starts the attempts that are due and have a free slot; returns how many it started, without
   * waiting for them (`idle` does).
   */
  deliverDue(): Promise<number> {
    const claim = this.claims.then(() => this.claimAndStart());
    this.claims = claim.catch(() => undefined);
    return claim;
  }

  /** Resolves when no attempt is in flight (those started meanwhile included). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight].map((a) => a.done));
  }

  /**
   * For shutdown: waits up to `waitMs` for the attempts in flight, then abandons the rest. An
   * abandoned attempt records nothing (the pool is about to close); its row keeps its lease and is
   * claimed again, by any worker, once the lease ends: at least once, the attempt already counted.
   * Returns how many were abandoned.
   */
  async settle(waitMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    const left = [...this.inFlight];
    for (const attempt of left) {
      attempt.abandoned = true;
      this.inFlight.delete(attempt);
    }
    if (left.length) this.logger.warn(`shutdown: ${left.length} webhook attempts still in flight left to their lease`);
    return left.length;
  }

  private async claimAndStart(): Promise<number> {
    const room = this.slots.room();
    if (room.limit === 0) return 0;
    const timeoutMs = this.config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    // Due rows, round-robin over the subscriptions. For each subscription with room here, its
    // claimable rows are the heads of its interviews (the earliest pending delivery of each: order
    // per interview), found by a skip scan of webhook_deliveries_order_idx (one probe per
    // interview, not one row per queued delivery: a dead receiver's backlog can be a day of
    // events), that are due and not leased; the earliest events first, as many as it has room
    // for. A row's turn is its rank there after what its subscription already has in flight, and
    // the lowest turns go first. The picked rows are then locked with SKIP LOCKED and checked again
    // on their latest version, so a row another worker leased meanwhile is left to it.
    const claimed = await this.sql.run(async (tx) => {
      // The planner's estimate for the skip scan grows with subscriptions times queued rows; with
      // the 101 subscriptions of test/webhook-isolation it passed jit_above_cost, and compiling took
      // 150 to 250 ms of nearly every claim, against a few ms to run it.
      await this.sql.execute('SET LOCAL jit = off', undefined, tx);
      return this.sql.query<ClaimedDelivery>(
        `WITH here (webhook_id, in_flight, cap) AS (
           SELECT * FROM unnest($3::bigint[], $4::int[], $5::int[])
         ), open AS (
           SELECT w.id, coalesce(h.in_flight, 0) AS in_flight, coalesce(h.cap, $6) - coalesce(h.in_flight, 0) AS room
             FROM webhooks w LEFT JOIN here h ON h.webhook_id = w.id
            WHERE w.active AND w.state <> 'disabled' AND coalesce(h.in_flight, 0) < coalesce(h.cap, $6)
         ), claimable AS (
           SELECT c.id, c.event_id, o.in_flight + c.rank AS turn
             FROM open o CROSS JOIN LATERAL (
               WITH RECURSIVE head AS (
                 (SELECT d.id, d.interview_id, d.event_id, d.next_attempt_at, d.lease_until FROM webhook_deliveries d
                   WHERE d.webhook_id = o.id AND d.status = 'pending' ORDER BY d.interview_id, d.event_id LIMIT 1)
                 UNION ALL
                 SELECT n.* FROM head h CROSS JOIN LATERAL (
                   SELECT d.id, d.interview_id, d.event_id, d.next_attempt_at, d.lease_until FROM webhook_deliveries d
                    WHERE d.webhook_id = o.id AND d.status = 'pending' AND d.interview_id > h.interview_id
                    ORDER BY d.interview_id, d.event_id LIMIT 1) n
               )
               SELECT head.id, head.event_id, row_number() OVER (ORDER BY head.event_id) AS rank
                 FROM head
                WHERE head.next_attempt_at <= now() AND (head.lease_until IS NULL OR head.lease_until < now())
                ORDER BY head.event_id
                LIMIT o.room
             ) c
         ), chosen AS (
           SELECT id FROM claimable ORDER BY turn, event_id LIMIT $1
         ), due AS (
           SELECT d.id FROM webhook_deliveries d
            WHERE d.id = ANY (ARRAY (SELECT id FROM chosen))
              AND d.status = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
              FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE webhook_deliveries d
            SET lease_until = now() + $2::interval, attempts = d.attempts + 1, last_attempt_at = now()
           FROM due, webhooks w
          WHERE d.id = due.id AND w.id = d.webhook_id
          RETURNING d.id::text, d.webhook_id::text, d.event_id::text, d.attempts, d.created_at, w.url, w.secret`,
        // The lease outlives the longest attempt; a worker killed mid-attempt frees its rows when it ends.
        [room.limit, `${2 * timeoutMs + 1000} milliseconds`, room.ids, room.inFlight, room.caps, room.defaultCap],
        tx,
      );
    });
    if (claimed.length === 0) return 0;
    for (const delivery of claimed) this.slots.take(delivery.webhook_id);
    let events: Map<string, unknown>;
    try {
      events = await this.log.byIds(claimed.map((c) => c.event_id));
    } catch (error) {
      // Nothing was sent: the rows come back when their lease ends.
      for (const delivery of claimed) this.slots.release(delivery.webhook_id, null);
      throw error;
    }
    for (const delivery of claimed) this.start(delivery, events.get(delivery.event_id));
    return claimed.length;
  }

  private start(delivery: ClaimedDelivery, event: unknown): void {
    const attempt: InFlight = { done: Promise.resolve(), abandoned: false };
    this.inFlight.add(attempt);
    attempt.done = (async () => {
      let succeeded: boolean | null = null;
      try {
        const outcome = await this.post(delivery, event);
        succeeded = outcome.ok;
        if (!attempt.abandoned) await this.record(delivery, outcome);
      } catch (error) {
        this.logger.warn(`webhook ${delivery.webhook_id}, event ${delivery.event_id}: outcome not recorded (${(error as Error).message}); sent again when its lease ends`);
      } finally {
        this.inFlight.delete(attempt);
        this.slots.release(delivery.webhook_id, succeeded);
        if (!attempt.abandoned) this.slotFreed();
      }
    })();
  }

  private async record(delivery: ClaimedDelivery, outcome: Outcome): Promise<void> {
    const now = new Date();
    if (outcome.ok) {
      await this.outcomes.add({ id: delivery.id, delivered: true, status: outcome.status, error: null, retryInMs: 0 });
      return;
    }
    const scale = this.config.get('WEBHOOK_RETRY_SCALE', { infer: true });
    if (outcome.status === 410) {
      // The receiver says the endpoint is gone for good: stop sending to it.
      await this.sql.execute(
        `WITH d AS (UPDATE webhook_deliveries SET status = 'failed', lease_until = NULL, last_status_code = 410,
                    last_error = $2 WHERE id = $1 RETURNING webhook_id)
         UPDATE webhooks SET active = false, state = 'disabled', updated_at = now() WHERE id = (SELECT webhook_id FROM d)`,
        [delivery.id, outcome.error],
      );
      this.logger.warn(`webhook ${delivery.webhook_id} answered 410 Gone: disabled`);
    } else if (givesUp(delivery.created_at, now, scale)) {
      await this.sql.execute(
        `WITH d AS (UPDATE webhook_deliveries SET status = 'failed', lease_until = NULL, last_status_code = $2,
                    last_error = $3 WHERE id = $1 RETURNING webhook_id)
         UPDATE webhooks SET state = 'failing', updated_at = now() WHERE id = (SELECT webhook_id FROM d) AND state = 'healthy'`,
        [delivery.id, outcome.status, outcome.error],
      );
      this.logger.warn(`webhook ${delivery.webhook_id}: gave up event ${delivery.event_id} after ${delivery.attempts} attempts`);
    } else {
      const retryInMs = retryDelayMs(delivery.attempts, scale);
      await this.outcomes.add({ id: delivery.id, delivered: false, status: outcome.status, error: outcome.error, retryInMs });
    }
  }

  /** Delivered, or to be tried again after `retryInMs`: the outcomes of nearly every attempt, written in batches. */
  private async writeOutcomes(outcomes: RecordedOutcome[]): Promise<void> {
    await this.sql.execute(
      `UPDATE webhook_deliveries d
          SET status = CASE WHEN o.delivered THEN 'delivered' ELSE d.status END,
              delivered_at = CASE WHEN o.delivered THEN now() ELSE d.delivered_at END,
              next_attempt_at = CASE WHEN o.delivered THEN d.next_attempt_at ELSE now() + o.retry_in_ms * interval '1 millisecond' END,
              lease_until = NULL, last_status_code = o.status, last_error = o.error
         FROM unnest($1::bigint[], $2::boolean[], $3::int[], $4::text[], $5::float8[]) AS o (id, delivered, status, error, retry_in_ms)
        WHERE d.id = o.id`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.delivered),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.error),
        outcomes.map((o) => o.retryInMs),
      ],
    );
  }

  private async post(delivery: ClaimedDelivery, event: unknown): Promise<Outcome> {
    if (!event) return { ok: false, status: null, error: 'event not found' };
    const allowPrivate = this.config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }) === 'true';
    const target = await checkTarget(delivery.url, allowPrivate);
    if (target.problem !== null) return { ok: false, status: null, error: `url ${target.problem}` };

    const typed = event as { type: string; occurred_at: string };
    const body = JSON.stringify({ type: typed.type, timestamp: typed.occurred_at, data: event });
    const timestamp = Math.floor(Date.now() / 1000);
    try {
      // Connects to the address just checked; never follows a redirect, never reads the body.
      const res = await postToTarget(target, {
        timeoutMs: this.config.get('WEBHOOK_TIMEOUT_MS', { infer: true }),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'interview-service-webhooks/1',
          'webhook-id': delivery.event_id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(delivery.secret, delivery.event_id, timestamp, body),
        },
        body,
      });
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status };
      return { ok: false, status: res.status, error: `HTTP ${res.status}` };
    } catch (error) {
      const name = (error as Error)?.name;
      return { ok: false, status: null, error: name === 'TimeoutError' ? 'timed out' : `request failed: ${(error as Error)?.message ?? error}` };
    }
  }
}
