import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys for the micro1-compatible public API: only a SHA-256 of the secret is kept. */
export class ApiKeys1763900100000 implements MigrationInterface {
  name = 'ApiKeys1763900100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_keys (
        id bigserial PRIMARY KEY,
        name text NOT NULL,
        prefix text NOT NULL,
        secret_sha256 bytea NOT NULL,
        created_by bigint REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await db.query(`CREATE UNIQUE INDEX api_keys_prefix_key ON api_keys (prefix)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE api_keys`);
  }
}
