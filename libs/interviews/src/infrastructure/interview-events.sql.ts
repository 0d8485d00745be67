/**
 * The SQL that appends to the event log, as plain text and parameters (no imports: the raw
 * baseline of `npm run bench` sends exactly this statement too).
 */
import type { Statement } from './interview-view.sql';

/** Advisory lock key of the event log's append order (any constant unique to this purpose). */
export const EVENT_LOG_LOCK = 7_431_001;

/** One event row: interview id, type, actor (JSON), data (JSON), when it happened. */
export type EventRow = [interviewId: string, type: string, actor: unknown, data: unknown, occurredAt: Date];

/**
 * Event ids must be handed out in commit order, or a reader resuming "after id N" could pass over
 * an id that commits later. The statement first takes the event-log lock, held to the commit, and
 * only then inserts (the materialized CTE runs before any row, and so any id, is made), so the lock
 * covers only the last step of a write: this statement and the commit. Lock and insert are one
 * statement because every round trip to the application while the lock is held is time that every
 * other write waits.
 */
export function appendEventsStatement(rows: readonly EventRow[]): Statement {
  const params: unknown[] = [EVENT_LOG_LOCK];
  const tuples = rows.map((row, i) => {
    params.push(...row);
    const n = 1 + i * 5;
    return `($${n + 1}::bigint, $${n + 2}::text, $${n + 3}::jsonb, $${n + 4}::jsonb, $${n + 5}::timestamptz, ${i})`;
  });
  // The ordinal keeps the ids in the order of `rows` (a join's output order is not promised).
  return {
    text: `WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock($1))
      INSERT INTO interview_events (interview_id, type, actor, data, occurred_at)
      SELECT e.interview_id, e.type, e.actor, e.data, e.occurred_at
        FROM lock, (VALUES ${tuples.join(', ')}) AS e (interview_id, type, actor, data, occurred_at, ordinal)
       ORDER BY e.ordinal`,
    params,
  };
}
