import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Environment, LimitReachedError, NotFoundError, ValidationFailedError } from '#platform';
import { ApiKeysService } from '#identity';
import { newWebhookSecret } from './signature';
import { targetProblem } from './webhook-target';

export const EVENT_TYPES = [
  'interview.created',
  'interview.accepted',
  'interview.amended',
  'interview.amendment_accepted',
  'interview.amendment_declined',
  'interview.rejected',
  'interview.cancelled',
  'interview.completed',
  'interview.no_show',
  'interview.config_updated',
] as const;

export interface WebhookJson {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  /** healthy; failing (a delivery gave up after its retries); disabled (the receiver answered 410). */
  state: 'healthy' | 'failing' | 'disabled';
  created_at: string;
  updated_at: string;
  /** Admin JSON only: the API key that made the subscription, null when an admin did. */
  owner_api_key_id?: number | null;
  secret?: string;
}

export interface DeliveryJson {
  id: number;
  event_id: number;
  event_type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

/** Whose subscriptions: an admin sees all; an API key only those it made (micro1's routes). */
export type WebhookOwner = { admin: true } | { admin: false; apiKeyId: string };

interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  active: boolean;
  state: WebhookJson['state'];
  secret: string;
  owner_api_key_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, url, events, active, state, secret, owner_api_key_id, created_at, updated_at';

/** The admin JSON says who owns a subscription; micro1's JSON keeps its documented shape. */
function present(row: WebhookRow, owner: WebhookOwner, withSecret = false): WebhookJson {
  const json: WebhookJson = {
    id: Number(row.id),
    url: row.url,
    events: row.events,
    active: row.active,
    state: row.state,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
  if (owner.admin) json.owner_api_key_id = row.owner_api_key_id === null ? null : Number(row.owner_api_key_id);
  if (withSecret) json.secret = row.secret;
  return json;
}

@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Environment, true>,
    private readonly apiKeys: ApiKeysService,
  ) {}

  onModuleInit(): void {
    this.apiKeys.onRevoke((apiKeyId) => this.disableOwnedBy(apiKeyId));
  }

  /**
   * A revoked key's subscriptions stop at once: inactive and disabled, so the relay neither fans
   * new events out to them nor claims the deliveries already queued (it sends only to active,
   * non-disabled subscriptions). Run before the revocation is answered.
   */
  async disableOwnedBy(apiKeyId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhooks SET active = false, state = 'disabled', updated_at = now()
        WHERE owner_api_key_id = $1 AND (active OR state <> 'disabled')`,
      [apiKeyId],
    );
  }

  /**
   * A new subscription starts at the end of the log: it receives events from now on. An API key
   * may own at most WEBHOOK_MAX_PER_API_KEY of them (every row counts, disabled ones included: they
   * can be re-activated); the key's row is locked while it counts, so parallel creates cannot pass
   * the limit together. Admins' subscriptions are not counted. The input is checked first (400 before 409).
   */
  async create(input: { url: string; events?: string[]; active?: boolean }, owner: WebhookOwner, field: string | null = 'webhook'): Promise<WebhookJson> {
    const events = await this.check(input.url, input.events, field);
    const values = [input.url, events ?? ['*'], input.active ?? true, newWebhookSecret(), owner.admin ? null : owner.apiKeyId];
    const insert = `INSERT INTO webhooks (url, events, active, secret, owner_api_key_id, position)
       VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(id), 0) FROM interview_events))
       RETURNING ${COLUMNS}`;
    if (owner.admin) {
      const rows: WebhookRow[] = await this.dataSource.query(insert, values);
      return present(rows[0], owner, true);
    }
    const limit = this.config.get('WEBHOOK_MAX_PER_API_KEY', { infer: true });
    const rows = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM api_keys WHERE id = $1 FOR UPDATE`, [owner.apiKeyId]);
      const [{ count }]: { count: number }[] = await manager.query(`SELECT count(*)::int AS count FROM webhooks WHERE owner_api_key_id = $1`, [owner.apiKeyId]);
      if (count >= limit) {
        throw new LimitReachedError(`an API key may have at most ${limit} webhook subscriptions; delete one first`);
      }
      return (await manager.query(insert, values)) as WebhookRow[];
    });
    return present(rows[0], owner, true);
  }

  async list(owner: WebhookOwner): Promise<WebhookJson[]> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks WHERE $1::bigint IS NULL OR owner_api_key_id = $1 ORDER BY id`,
      [owner.admin ? null : owner.apiKeyId],
    );
    return rows.map((row) => present(row, owner));
  }

  async get(id: string, owner: WebhookOwner): Promise<WebhookJson> {
    return present(await this.row(id, owner), owner);
  }

  /** Re-activating a subscription clears its failing or disabled state. */
  async update(id: string, patch: { url?: string; events?: string[]; active?: boolean }, owner: WebhookOwner, field: string | null = 'webhook'): Promise<WebhookJson> {
    const current = await this.row(id, owner);
    if (patch.active === true && current.owner_api_key_id !== null && (await this.apiKeys.isRevoked(current.owner_api_key_id))) {
      throw ValidationFailedError.of([{ field: field ? `${field}.active` : 'active', message: 'cannot be true: the API key that owns this subscription is revoked' }]);
    }
    const events = await this.check(patch.url, patch.events, field);
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows]: [WebhookRow[], number] = await this.dataSource.query(
      `UPDATE webhooks SET url = coalesce($2, url), events = coalesce($3, events), active = coalesce($4, active),
              state = CASE WHEN $4 IS TRUE THEN 'healthy' ELSE state END, updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, patch.url ?? null, events ?? null, patch.active ?? null],
    );
    return present(rows[0], owner);
  }

  async remove(id: string, owner: WebhookOwner): Promise<void> {
    await this.row(id, owner);
    await this.dataSource.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
  }

  async deliveries(id: string, owner: WebhookOwner, limit = 100): Promise<DeliveryJson[]> {
    await this.row(id, owner);
    const rows = await this.dataSource.query(
      `SELECT d.*, e.type AS event_type FROM webhook_deliveries d JOIN interview_events e ON e.id = d.event_id
        WHERE d.webhook_id = $1 ORDER BY d.id DESC LIMIT $2`,
      [id, limit],
    );
    return rows.map(presentDelivery);
  }

  /** Queues a delivery again, at once, whatever its state. */
  async redeliver(id: string, deliveryId: string, owner: WebhookOwner): Promise<DeliveryJson> {
    await this.row(id, owner);
    const rows = await this.dataSource.query(
      `WITH d AS (
         UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), lease_until = NULL
          WHERE id = $2 AND webhook_id = $1 RETURNING *)
       SELECT d.*, e.type AS event_type FROM d JOIN interview_events e ON e.id = d.event_id`,
      [id, deliveryId],
    );
    if (rows.length === 0) throw new NotFoundError('delivery not found');
    return presentDelivery(rows[0]);
  }

  private async row(id: string, owner: WebhookOwner): Promise<WebhookRow> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhooks WHERE id = $1 AND ($2::bigint IS NULL OR owner_api_key_id = $2)`,
      [id, owner.admin ? null : owner.apiKeyId],
    );
    if (rows.length === 0) throw new NotFoundError('webhook not found');
    return rows[0];
  }

  private async check(url: string | undefined, events: string[] | undefined, field: string | null): Promise<string[] | undefined> {
    if (url !== undefined) {
      const allowPrivate = this.config.get('WEBHOOK_ALLOW_PRIVATE', { infer: true }) === 'true';
      const problem = await targetProblem(url, allowPrivate);
      if (problem) throw ValidationFailedError.of([{ field: field ? `${field}.url` : 'url', message: problem }]);
    }
    if (events === undefined) return undefined;
    const unique = [...new Set(events)];
    if (unique.includes('*') && unique.length > 1) {
      throw ValidationFailedError.of([{ field: field ? `${field}.events` : 'events', message: 'must be ["*"] or a list of event types' }]);
    }
    return unique;
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

function presentDelivery(row: Record<string, any>): DeliveryJson { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    id: Number(row.id),
    event_id: Number(row.event_id),
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    created_at: row.created_at.toISOString(),
    last_attempt_at: iso(row.last_attempt_at),
    delivered_at: iso(row.delivered_at),
  };
}
