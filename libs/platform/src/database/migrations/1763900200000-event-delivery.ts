import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event delivery: webhook subscriptions with their fan-out cursor, one delivery row per
 * (subscription, event) with its retry state, cursors of other subscribers (the broker), and a
 * NOTIFY on every committed batch of events so relays wake without polling.
 */
export class EventDelivery1763900200000 implements MigrationInterface {
  name = 'EventDelivery1763900200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhooks (
        id bigserial PRIMARY KEY,
        url text NOT NULL,
        events text[] NOT NULL,
        active boolean NOT NULL DEFAULT true,
        state text NOT NULL DEFAULT 'healthy' CHECK (state IN ('healthy', 'failing', 'disabled')),
        secret text NOT NULL,
        owner_api_key_id bigint REFERENCES api_keys (id),
        position bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        webhook_id bigint NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_id bigint NOT NULL REFERENCES interview_events (id),
        interview_id bigint NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        delivered_at timestamptz,
        UNIQUE (webhook_id, event_id)
      )`);
    await db.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await db.query(`CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (webhook_id, interview_id, event_id) WHERE status = 'pending'`);
    await db.query(`
      CREATE TABLE event_cursors (
        subscriber text PRIMARY KEY,
        position bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE FUNCTION notify_interview_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('interview_events', '');
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER interview_events_notify AFTER INSERT ON interview_events
      FOR EACH STATEMENT EXECUTE FUNCTION notify_interview_events()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER interview_events_notify ON interview_events`);
    await db.query(`DROP FUNCTION notify_interview_events()`);
    await db.query(`DROP TABLE event_cursors`);
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhooks`);
  }
}
