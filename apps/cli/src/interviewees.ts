import type { EntityManager } from 'typeorm';

export const INTERVIEWEE_KINDS = ['interview', 'verified', 'rejected'] as const;
export type IntervieweeKind = (typeof INTERVIEWEE_KINDS)[number];

export interface IntervieweeRow {
  id: string;
  kind: IntervieweeKind;
}

/**
 * Enrols a driver as an interviewee, as POST /api/v1/admin/interviewees does: one statement, so
 * the role check and the insert cannot be split by a concurrent change. Null when the user is not
 * a driver.
 */
export async function enrolDriver(db: EntityManager, driverId: string, kind: IntervieweeKind): Promise<IntervieweeRow | null> {
  const rows: IntervieweeRow[] = await db.query(
    `INSERT INTO interviewees (driver_id, kind)
     SELECT u.id, $2 FROM users u WHERE u.id = $1 AND u.role = 'driver'
     RETURNING id::text, kind`,
    [driverId, kind],
  );
  return rows[0] ?? null;
}

/** The driver's interviewee (the first one, should there be several). */
export async function intervieweeOf(db: EntityManager, driverId: string): Promise<IntervieweeRow | null> {
  const rows: IntervieweeRow[] = await db.query(
    `SELECT id::text, kind FROM interviewees WHERE driver_id = $1 ORDER BY id LIMIT 1`,
    [driverId],
  );
  return rows[0] ?? null;
}
