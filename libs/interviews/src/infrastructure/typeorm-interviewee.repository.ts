import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { entityManagerOf, type Transaction } from '#platform';
import { EntityManager, Not } from 'typeorm';
import { IntervieweeRef, IntervieweeRepository } from '../domain';
import { IntervieweeRecord } from './interview.records';

/** Interviewees as the interview rules need them, through the IntervieweeRecord entity. */
@Injectable()
export class TypeOrmIntervieweeRepository extends IntervieweeRepository {
  constructor(@InjectEntityManager() private readonly manager: EntityManager) {
    super();
  }

  async findById(id: string, tx?: Transaction): Promise<IntervieweeRef | null> {
    const manager = tx ? entityManagerOf(tx) : this.manager;
    const record = await manager.findOne(IntervieweeRecord, { select: { id: true, driverId: true }, where: { id } });
    return record ? { id: record.id, driverId: record.driverId } : null;
  }

  async markRejected(id: string, at: Date, tx: Transaction): Promise<void> {
    await entityManagerOf(tx).update(IntervieweeRecord, { id, kind: Not('rejected') }, { kind: 'rejected', updatedAt: at });
  }
}
