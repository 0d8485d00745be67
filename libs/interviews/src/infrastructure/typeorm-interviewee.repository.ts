import { Injectable } from '@nestjs/common';
import { TypeOrmUnitOfWork } from '#platform';
import { IntervieweeRef, IntervieweeRepository } from '../domain';

@Injectable()
export class TypeOrmIntervieweeRepository extends IntervieweeRepository {
  constructor(private readonly uow: TypeOrmUnitOfWork) {
    super();
  }

  async findById(id: string): Promise<IntervieweeRef | null> {
    const rows: { id: string; driver_id: string }[] = await this.uow.manager.query(
      `SELECT id::text, driver_id::text FROM interviewees WHERE id = $1`,
      [id],
    );
    return rows[0] ? { id: rows[0].id, driverId: rows[0].driver_id } : null;
  }

  async markRejected(id: string, at: Date): Promise<void> {
    await this.uow.manager.query(
      `UPDATE interviewees SET kind = 'rejected', updated_at = $2 WHERE id = $1 AND kind <> 'rejected'`,
      [id, at],
    );
  }
}
