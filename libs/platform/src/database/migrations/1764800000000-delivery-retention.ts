import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention job finds finished webhook deliveries by age: an index on `created_at` of the
 * delivered and failed ones only (the pending ones have their own partial indexes). Without it each
 * batch would scan the whole table. `created_at` never changes, and `status` already takes part in
 * the other partial indexes, so no update that could be HOT before loses that.
 */
export class DeliveryRetention1764800000000 implements MigrationInterface {
  name = 'DeliveryRetention1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX webhook_deliveries_finished_idx ON webhook_deliveries (created_at) WHERE status IN ('delivered', 'failed')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX webhook_deliveries_finished_idx`);
  }
}
