import { Injectable } from '@nestjs/common';
import { Sql, type Transaction } from '#platform';
import { IntervieweeRef, IntervieweeRepository } from '../domain';

@Injectable()
export class SqlIntervieweeRepository extends IntervieweeRepository {
  constructor(private readonly sql: Sql) {
    super();
  }

  async findById(id: string, tx?: Transaction): Promise<IntervieweeRef | null> {
    const rows = await this.sql.query<{ id: string; driver_id: string }>(
      `SELECT id::text, driver_id::text FROM interviewees WHERE id = $1`,
      [id],
      tx,
    );
    return rows[0] ? { id: rows[0].id, driverId: rows[0].driver_id } : null;
  }

  async markRejected(id: string, at: Date, tx: Transaction): Promise<void> {
    await this.sql.execute(
      `UPDATE interviewees SET kind = 'rejected', updated_at = $2 WHERE id = $1 AND kind <> 'rejected'`,
      [id, at],
      tx,
    );
  }
}
