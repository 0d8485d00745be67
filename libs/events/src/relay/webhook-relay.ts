import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Environment, Sql } from '#platform';
import { EventLog } from '../event-log';
import { signWebhook } from '../webhooks/signature';
import { checkTarget, postToTarget } from '../webhooks/webhook-target';
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

const BATCH = 50;

/**
 * Webhook delivery in two steps. Fan-out copies new events of the log into one delivery row per
 * matching subscription (advancing the subscription's position in the same statement). Delivery
 * claims due rows under a lease (`FOR UPDATE SKIP LOCKED`, so two workers never send the same one
 * at once), posts them, and records the outcome. A delivery waits while an earlier event of the
 * same interview is still pending for that subscription: order per interview holds.
 */
@Injectable()
export class WebhookRelay {
  private readonly logger = new Logger(WebhookRelay.name);

  constructor(
    private readonly sql: Sql,
    private readonly log: EventLog,
    private readonly config: ConfigService<Environment, true>,
  ) {}

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

  /** Sends what is due; returns how many attempts were made. */
  async deliverDue(): Promise<number> {
    const claimed = await this.sql.query<ClaimedDelivery>(
      `UPDATE webhook_deliveries d
          SET lease_until = now() + $2::interval, attempts = d.attempts + 1, last_attempt_at = now()
         FROM (
           SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until < now())
              AND w.active AND w.state <> 'disabled'
              AND NOT EXISTS (
                SELECT 1 FROM webhook_deliveries p
                 WHERE p.webhook_id = d.webhook_id AND p.interview_id = d.interview_id
                   AND p.status = 'pending' AND p.event_id < d.event_id)
            ORDER BY d.event_id
            LIMIT $1
              FOR UPDATE OF d SKIP LOCKED
         ) due, webhooks w
        WHERE d.id = due.id AND w.id = d.webhook_id
        RETURNING d.id::text, d.webhook_id::text, d.event_id::text, d.attempts, d.created_at, w.url, w.secret`,
      // The lease outlives the longest attempt; a worker killed mid-attempt frees its rows when it ends.
      [BATCH, `${2 * this.config.get('WEBHOOK_TIMEOUT_MS', { infer: true }) + 1000} milliseconds`],
    );
    if (claimed.length === 0) return 0;
    const events = await this.log.byIds(claimed.map((c) => c.event_id));
    await Promise.all(claimed.map((delivery) => this.attempt(delivery, events.get(delivery.event_id))));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery, event: unknown): Promise<void> {
    const outcome = await this.post(delivery, event);
    const now = new Date();
    if (outcome.ok) {
      await this.sql.execute(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now(), lease_until = NULL,
                last_status_code = $2, last_error = NULL WHERE id = $1`,
        [delivery.id, outcome.status],
      );
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
      await this.sql.execute(
        `UPDATE webhook_deliveries SET next_attempt_at = now() + ($2 || ' milliseconds')::interval, lease_until = NULL,
                last_status_code = $3, last_error = $4 WHERE id = $1`,
        [delivery.id, String(retryDelayMs(delivery.attempts, scale)), outcome.status, outcome.error],
      );
    }
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
