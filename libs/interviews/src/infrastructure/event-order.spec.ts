import type { PoolClient } from 'pg';
import { DatabasePool } from '#platform';
import { TestApp } from '#testing';
import { AppModule } from '../../../../apps/api/src/app.module';

/**
 * The event log's insert trigger on a real PostgreSQL, with two transactions at once: an event id
 * is handed out only once the event-log lock is held, so ids come in commit order even when the
 * lock is contended (a reader resuming "after id N" must never pass over an id that commits later).
 */
describe('the event log hands out ids in commit order', () => {
  let t: TestApp;
  let pool: DatabasePool['pool'];
  let interviewId: string;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    pool = t.app.get(DatabasePool).pool;
    interviewId = String((await t.scenario()).interview.id);
  });
  afterAll(() => t.close());

  const append = (db: PoolClient, types: string[]) =>
    db.query<{ id: number }>(
      `INSERT INTO interview_events (interview_id, type, actor, data)
       SELECT $1, type, '{"type": "api_key", "id": 1}', jsonb_build_object('note', type) FROM unnest($2::text[]) AS type
       RETURNING id::int`,
      [interviewId, types],
    );
  const waitingOnALock = async (db: PoolClient) => {
    const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    return async () => {
      const { rows } = await pool.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [pid]);
      return rows[0]?.wait_event_type === 'Lock';
    };
  };

  it('gives a transaction that waited for the lock a larger id, though it started its insert first', async () => {
    const first = await pool.connect();
    const second = await pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      await append(first, ['test.first']);
      // `first` holds the lock until it commits: `second`'s insert waits before drawing an id.
      const secondIsWaiting = await waitingOnALock(second);
      const secondAppend = append(second, ['test.second']);
      for (let i = 0; i < 100 && !(await secondIsWaiting()); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await secondIsWaiting()).toBe(true);
      const later = await append(first, ['test.first-again']);
      await first.query('COMMIT');
      const secondId = (await secondAppend).rows[0].id;
      await second.query('COMMIT');
      expect(secondId).toBeGreaterThan(later.rows[0].id);
    } finally {
      first.release();
      second.release();
    }
  });

  it('keeps several events of one insert in their order', async () => {
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO interview_events (interview_id, type, actor, data)
       VALUES ($1, 'test.a', '{}', '{}'), ($1, 'test.b', '{}', '{}'), ($1, 'test.c', '{}', '{}') RETURNING id::int`,
      [interviewId],
    );
    const stored = await pool.query(`SELECT type FROM interview_events WHERE id = ANY($1::int[]) ORDER BY id`, [rows.map((r) => r.id)]);
    expect(stored.rows.map((r) => r.type)).toEqual(['test.a', 'test.b', 'test.c']);
  });
});
