import { Injectable } from '@nestjs/common';
import { Sql } from '#platform';

export interface IntervieweeView {
  id: number;
  driver: { id: number; image: string | null; phone_number: string | null; title: string };
  kind: string;
  updated_at: string;
}

/** Enrolling drivers as interviewees (an admin's act; no interview changes, no event). */
@Injectable()
export class IntervieweeDirectory {
  constructor(private readonly sql: Sql) {}

  /** Null when `driverId` is not a user with role driver. One statement: no race between check and insert. */
  async enrol(driverId: number, kind: string): Promise<IntervieweeView | null> {
    const rows = await this.sql.query<{ id: string; kind: string; updated_at: Date; driver_id: string; image: string | null; phone_number: string | null; title: string }>(
        `WITH driver AS (SELECT id, image, phone_number, title FROM users WHERE id = $1 AND role = 'driver'),
              enrolled AS (INSERT INTO interviewees (driver_id, kind) SELECT id, $2 FROM driver
                           RETURNING id, kind, updated_at, driver_id)
         SELECT e.id, e.kind, e.updated_at, e.driver_id, d.image, d.phone_number, d.title
           FROM enrolled e JOIN driver d ON d.id = e.driver_id`,
        [driverId, kind],
      );
    const row = rows[0];
    if (!row) return null;
    return {
      id: Number(row.id),
      driver: { id: Number(row.driver_id), image: row.image, phone_number: row.phone_number, title: row.title },
      kind: row.kind,
      updated_at: row.updated_at.toISOString(),
    };
  }
}
