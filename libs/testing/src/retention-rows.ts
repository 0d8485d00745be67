import { randomUUID } from 'node:crypto';
import { Client, type QueryResult } from 'pg';

/** A pg Pool or Client. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
}

/** Rows of each table the retention job purges, as seeded: `old` ones are past the default retention. */
export interface RetentionCounts {
  idempotency_keys: { old: number; young: number };
  revoked_tokens: { old: number; young: number };
  webhook_deliveries: { old: number; young: number; pending: number };
}

/**
 * Rows for the retention tests, with their times set directly (the default settings:
 * IDEMPOTENCY_KEY_TTL 24 hours, WEBHOOK_DELIVERY_RETENTION_DAYS 7). Per table `old` rows past the
 * retention and `young` ones within it, each kind on both sides of its boundary:
 * - idempotency_keys: made 25 hours ago / 23 hours ago;
 * - revoked_tokens: tokens expired 2 hours ago / expired 10 minutes ago (inside the hour's margin)
 *   or expiring tomorrow;
 * - webhook_deliveries: delivered or failed 8 days ago / delivered 6 days ago, or made 8 days ago
 *   and delivered again yesterday; and `young` pending deliveries made 30 days ago, kept whatever
 *   their age. Each delivery has its own event, of one interview seeded for it.
 */
export async function seedRetentionRows(db: Queryable, old: number, young: number): Promise<void> {
  const tag = randomUUID().slice(0, 8);
  await db.query(
    `INSERT INTO idempotency_keys (principal, method, path, key, request_sha256, status, body, created_at, completed_at)
     SELECT 'retention-test', 'POST', '/retention', kind || '-' || $3 || '-' || g, 'sha', 201, '{"answer": true}', at, at
       FROM (SELECT 'old' AS kind, g, now() - interval '25 hours' AS at FROM generate_series(1, $1::int) g
             UNION ALL SELECT 'young', g, now() - interval '23 hours' FROM generate_series(1, $2::int) g) rows`,
    [old, young, tag],
  );
  await db.query(
    `INSERT INTO revoked_tokens (jti, expires_at)
     SELECT gen_random_uuid(), now() - interval '2 hours' FROM generate_series(1, $1::int)
     UNION ALL
     SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN now() - interval '10 minutes' ELSE now() + interval '1 day' END
       FROM generate_series(1, $2::int) g`,
    [old, young],
  );
  const users = await db.query(
    `INSERT INTO users (email, password_hash, role, title)
     VALUES ('retention-interviewer-' || $1 || '@test.example', 'x', 'interviewer', 'Retention interviewer'),
            ('retention-driver-' || $1 || '@test.example', 'x', 'driver', 'Retention driver')
     RETURNING id`,
    [tag],
  );
  const [interviewer, driver] = users.rows.map((row: { id: string }) => row.id);
  const interviewee = (await db.query(`INSERT INTO interviewees (driver_id, kind) VALUES ($1, 'verified') RETURNING id`, [driver])).rows[0].id;
  const interview = (
    await db.query(
      `INSERT INTO interviews (interviewer_id, interviewee_id, kind, start_at, end_at, status, config)
       VALUES ($1, $2, 'video_call', now() + interval '30 days', now() + interval '30 days 30 minutes', 'pending', '{}') RETURNING id`,
      [interviewer, interviewee],
    )
  ).rows[0].id;
  const events = (
    await db.query(
      `INSERT INTO interview_events (interview_id, type, actor, data)
       SELECT $1, 'interview.created', '{"type": "user", "id": 1}', '{}' FROM generate_series(1, $2::int)
       RETURNING id`,
      [interview, old + 2 * young],
    )
  ).rows.map((row: { id: string }) => row.id);
  // Inactive: the relay of a worker under test never sends these.
  const webhook = (
    await db.query(
      `INSERT INTO webhooks (url, events, active, state, secret, position)
       VALUES ('https://receiver.test.example/retention', ARRAY['*'], false, 'healthy', 'retention-secret', (SELECT max(id) FROM interview_events))
       RETURNING id`,
    )
  ).rows[0].id;
  await db.query(
    `INSERT INTO webhook_deliveries (webhook_id, event_id, interview_id, status, attempts, created_at, last_attempt_at, delivered_at, last_error)
     SELECT $1, e.id, $2, d.status, 1, d.created_at, d.last_attempt_at, d.delivered_at, d.kind
       FROM unnest($3::bigint[]) WITH ORDINALITY AS e(id, n)
       CROSS JOIN LATERAL (
         SELECT * FROM (VALUES
           -- old: finished 8 days ago, delivered or failed
           ('old', CASE WHEN e.n % 2 = 0 THEN 'delivered' ELSE 'failed' END, now() - interval '8 days', now() - interval '8 days',
            CASE WHEN e.n % 2 = 0 THEN now() - interval '8 days' END),
           -- young: delivered 6 days ago, or made 8 days ago and delivered again yesterday
           ('young', 'delivered', now() - interval '8 days' + CASE WHEN e.n % 2 = 0 THEN interval '2 days' ELSE interval '0' END,
            now() - CASE WHEN e.n % 2 = 0 THEN interval '6 days' ELSE interval '1 day' END,
            now() - CASE WHEN e.n % 2 = 0 THEN interval '6 days' ELSE interval '1 day' END),
           -- pending: made 30 days ago, still being retried
           ('pending', 'pending', now() - interval '30 days', now() - interval '1 day', NULL::timestamptz)
         ) v(kind, status, created_at, last_attempt_at, delivered_at)
          WHERE v.kind = CASE WHEN e.n <= $4::int THEN 'old' WHEN e.n <= $4::int + $5::int THEN 'young' ELSE 'pending' END
       ) d`,
    [webhook, interview, events, old, young],
  );
}

/** The seeded rows that are still there, by kind. */
export async function countRetentionRows(db: Queryable): Promise<RetentionCounts> {
  const { rows } = await db.query(`
    SELECT
      (SELECT count(*) FROM idempotency_keys WHERE principal = 'retention-test' AND key LIKE 'old-%')::int AS keys_old,
      (SELECT count(*) FROM idempotency_keys WHERE principal = 'retention-test' AND key LIKE 'young-%')::int AS keys_young,
      (SELECT count(*) FROM revoked_tokens WHERE expires_at < now() - interval '1 hour')::int AS revoked_old,
      (SELECT count(*) FROM revoked_tokens WHERE expires_at >= now() - interval '1 hour')::int AS revoked_young,
      (SELECT count(*) FROM webhook_deliveries WHERE last_error = 'old')::int AS deliveries_old,
      (SELECT count(*) FROM webhook_deliveries WHERE last_error = 'young')::int AS deliveries_young,
      (SELECT count(*) FROM webhook_deliveries WHERE last_error = 'pending')::int AS deliveries_pending`);
  const r = rows[0];
  return {
    idempotency_keys: { old: r.keys_old, young: r.keys_young },
    revoked_tokens: { old: r.revoked_old, young: r.revoked_young },
    webhook_deliveries: { old: r.deliveries_old, young: r.deliveries_young, pending: r.deliveries_pending },
  };
}

/**
 * A database of its own on the run's server, for a test whose purge must not touch other suites'
 * rows (and whose seeded rows must not change their checksums). Its URL is known at once, so that
 * it can be put in DATABASE_URL before the app's modules read the environment; `create` makes it
 * (the app's migrations then build the schema at its first start), `drop` removes it.
 */
export function scratchDatabase(runUrl: string, prefix: string): { url: string; create(): Promise<void>; drop(): Promise<void> } {
  const name = `${prefix}_${process.pid}_${Date.now()}`;
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  const onServer = async (statement: string) => {
    const client = new Client({ connectionString: runUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    url: url.toString(),
    create: () => onServer(`CREATE DATABASE ${name}`),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
