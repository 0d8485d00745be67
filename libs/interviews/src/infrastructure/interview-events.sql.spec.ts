import type { Pool, PoolClient } from 'pg';
import { TestApp } from '#testing';
import { AppModule } from '../../../../apps/api/src/app.module';
import { appendEventsStatement, EVENT_LOG_LOCK, type EventRow } from './interview-events.sql';

/**
 * The append statement on a real PostgreSQL, with two transactions at once: an event id is handed
 * out only once the event-log lock is held, so ids come in commit order even when the lock is
 * contended (a reader resuming "after id N" must never pass over an id that commits later).
 */
describe('appendEventsStatement', () => {
  let t: TestApp;
  let pool: Pool;
  let interviewId: string;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    pool = (t.dataSource.driver as unknown as { master: Pool }).master;
    interviewId = String((await t.scenario()).interview.id);
  });
  afterAll(() => t.close());

  const row = (type: string): EventRow => [interviewId, type, { type: 'api_key', id: 1 }, { note: type }, new Date()];
  const append = async (db: PoolClient, rows: EventRow[]) => {
    const { text, params } = appendEventsStatement(rows);
    return db.query(`${text} RETURNING id::int`, params);
  };
  const waitingOnTheLock = async (db: PoolClient) => {
    const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return async () => {
      const { rows } = await pool.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
      return rows[0]?.wait_event_type === 'Lock';
    };
  };

  it('takes its id only after the lock: a transaction that waited commits after, and with a larger id', async () => {
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      // `first` holds the event-log lock but has not appended yet.
      await first.query('SELECT pg_advisory_xact_lock($1)', [EVENT_LOG_LOCK]);
      const secondIsWaiting = await waitingOnTheLock(second);
      const secondAppend = append(second, [row('test.second')]);
      for (let i = 0; i < 100 && !(await secondIsWaiting()); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await secondIsWaiting()).toBe(true);

      const firstId = (await append(first, [row('test.first')])).rows[0].id;
      await first.query('COMMIT');
      const secondId = (await secondAppend).rows[0].id;
      await second.query('COMMIT');

      expect(secondId).toBeGreaterThan(firstId);
    } finally {
      first.release();
      second.release();
    }
  });

  it('appends several events of one change in their order, with their actor and data as JSON', async () => {
    const db = await pool.connect();
    try {
      await db.query('BEGIN');
      const { rows } = await append(db, [row('test.a'), row('test.b'), row('test.c')]);
      await db.query('COMMIT');
      const stored = await pool.query(`SELECT id::int, type, actor, data FROM interview_events WHERE id = ANY($1::int[]) ORDER BY id`, [
        rows.map((r) => r.id),
      ]);
      expect(stored.rows.map((r) => r.type)).toEqual(['test.a', 'test.b', 'test.c']);
      expect(stored.rows[0].actor).toEqual({ type: 'api_key', id: 1 });
      expect(stored.rows[2].data).toEqual({ note: 'test.c' });
    } finally {
      db.release();
    }
  });
});
