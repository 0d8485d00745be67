import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency claims get a lease and an owner, and remember a change that committed:
 * - `lease_until`: a claim without an answer past it was left by a process that died; a retry takes
 *   it over (NULL, as on claims older than this migration, counts as expired);
 * - `claim_token`: who holds the claim now; a change records its commit only under its own token,
 *   so of two runs of one key (the first outliving its lease) at most one change commits;
 * - `committed_resource`: written in the change's own transaction — the change committed, though
 *   its answer may never have been stored; a retry then answers from the resource, never runs again.
 */
export class IdempotencyLease1764700000000 implements MigrationInterface {
  name = 'IdempotencyLease1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE idempotency_keys
        ADD COLUMN lease_until timestamptz,
        ADD COLUMN claim_token uuid,
        ADD COLUMN committed_resource text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE idempotency_keys DROP COLUMN lease_until, DROP COLUMN claim_token, DROP COLUMN committed_resource`);
  }
}
