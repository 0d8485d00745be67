import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sign-in finds a user by the email with only A–Z folded (identity's `emailKey`, the same key the
 * sign-in throttler counts by), no longer by lower(), which folds more than JavaScript can repeat.
 * This index serves that lookup and keeps it to one row. lower(email)'s unique index stays: it is
 * the stricter rule for new accounts (two emails equal under lower() are already one account).
 */
export class EmailKey1764600000000 implements MigrationInterface {
  name = 'EmailKey1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(
      `CREATE UNIQUE INDEX users_email_key_ascii ON users (translate(email, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'))`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX users_email_key_ascii`);
  }
}
