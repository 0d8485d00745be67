import { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys: one row per (caller, method, path, key), kept 24 hours, with the stored answer. */
export class IdempotencyKeys1763900300000 implements MigrationInterface {
  name = 'IdempotencyKeys1763900300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        principal text NOT NULL,
        method text NOT NULL,
        path text NOT NULL,
        key text NOT NULL,
        request_sha256 text NOT NULL,
        status integer,
        headers jsonb,
        body text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (principal, method, path, key)
      )`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
  }
}
