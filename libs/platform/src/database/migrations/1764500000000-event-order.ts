import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event ids in commit order, kept by the database: any insert into the event log first takes the
 * event-log lock (a transaction-scoped advisory lock, held to the commit), and only then are its
 * rows, and so their ids, made. A statement-level BEFORE trigger runs before the first row's
 * defaults (nextval) are evaluated. So a reader resuming "after id N" never passes over an id that
 * commits later, whichever code inserts the events (the entity repository does, through TypeORM).
 */
export class EventOrder1764500000000 implements MigrationInterface {
  name = 'EventOrder1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION interview_events_take_order() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(7431001);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER interview_events_order BEFORE INSERT ON interview_events
      FOR EACH STATEMENT EXECUTE FUNCTION interview_events_take_order()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER interview_events_order ON interview_events`);
    await db.query(`DROP FUNCTION interview_events_take_order()`);
  }
}
