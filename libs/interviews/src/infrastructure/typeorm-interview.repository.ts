import { Injectable } from '@nestjs/common';
import { entityManagerOf, ScheduleConflictError, Sql, type Transaction } from '#platform';
import { Interview, InterviewRepository } from '../domain';
import { InterviewMapper } from './interview.mapper';
import { InterviewEventRecord, InterviewRecord } from './interview.records';

const EXCLUSION_VIOLATION = '23P01';

/** Raised when a versioned update finds the row moved on: a bug or a lost lock, never silent. */
export class ConcurrentUpdateError extends Error {}

/**
 * The interview aggregate stored through its TypeORM entities, in the use case's transaction
 * (`entityManagerOf(tx)`): a locking read of the interview with its interviewee, a versioned
 * update, and the events as InterviewEventRecords in the same transaction. Event ids come out in
 * commit order: the event log's insert trigger takes the append lock before any id is drawn
 * (migration 1764500000000).
 */
@Injectable()
export class TypeOrmInterviewRepository extends InterviewRepository {
  /** Versions as loaded, so that save() knows insert from update and which version to guard. */
  private readonly loaded = new WeakMap<Interview, number>();

  constructor(private readonly sql: Sql) {
    super();
  }

  async nextId(): Promise<string> {
    // The aggregate has its identity before its first event names it; TypeORM has no API for a
    // sequence, so this one value is drawn by hand.
    const [row] = await this.sql.query<{ id: string }>(`SELECT nextval('interviews_id_seq')::text AS id`);
    return row.id;
  }

  async findForUpdate(id: string, tx: Transaction): Promise<Interview | null> {
    // One statement locks the interview row (not its interviewee's) and reads what the rules need.
    const record = await entityManagerOf(tx)
      .createQueryBuilder(InterviewRecord, 'i')
      .innerJoin('i.interviewee', 'e')
      .addSelect('e.driverId')
      .where('i.id = :id', { id })
      .setLock('pessimistic_write', undefined, ['i'])
      .getOne();
    if (!record?.interviewee) return null;
    const interview = Interview.rehydrate(InterviewMapper.toState(record as InterviewRecord & { interviewee: { driverId: string } }));
    this.loaded.set(interview, interview.version);
    return interview;
  }

  async save(interview: Interview, tx: Transaction): Promise<void> {
    const manager = entityManagerOf(tx);
    const state = interview.snapshot();
    const loadedVersion = this.loaded.get(interview);
    try {
      if (loadedVersion === undefined) {
        // The columns are named: TypeORM would otherwise send DEFAULT for the generated id.
        await manager
          .createQueryBuilder()
          .insert()
          .into(InterviewRecord, InterviewMapper.NEW_COLUMNS)
          .values(InterviewMapper.toNewRecord(state))
          .updateEntity(false)
          .execute();
      } else if (state.version !== loadedVersion) {
        const { affected } = await manager
          .createQueryBuilder()
          .update(InterviewRecord)
          .set({ ...InterviewMapper.toChangedColumns(state), updatedAt: () => 'now()' })
          .where('id = :id AND version = :loadedVersion', { id: state.id, loadedVersion })
          .updateEntity(false)
          .execute();
        if (affected !== 1) throw new ConcurrentUpdateError(`interview ${state.id} moved past version ${loadedVersion}`);
      }
    } catch (error) {
      if ((error as { code?: unknown })?.code === EXCLUSION_VIOLATION) throw new ScheduleConflictError();
      throw error;
    }
    const events = interview.getUncommittedEvents();
    if (events.length > 0) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(InterviewEventRecord)
        .values(events.map(InterviewMapper.toEventRecord))
        .updateEntity(false)
        .execute();
    }
    this.loaded.set(interview, state.version);
  }
}
