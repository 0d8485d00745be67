import { Injectable } from '@nestjs/common';
import type { DataSource, QueryRunner } from 'typeorm';
import { CompiledStatement, columnsOf, entityManagerOf, hydrate, placeholders, ScheduleConflictError, Sql, type Transaction } from '#platform';
import { Interview, InterviewRepository } from '../domain';
import { InterviewMapper } from './interview.mapper';
import { InterviewEventRecord, IntervieweeRecord, InterviewRecord } from './interview.records';

const EXCLUSION_VIOLATION = '23P01';
const { NEW_COLUMNS, CHANGED_COLUMNS, EVENT_COLUMNS } = InterviewMapper;
type EventColumn = `${(typeof EVENT_COLUMNS)[number]}_${number}`;

/** The write path's statements, written by TypeORM from the entities once per process (see CompiledStatement). */
interface Statements {
  load: CompiledStatement<'id'>;
  insert: CompiledStatement<(typeof NEW_COLUMNS)[number]>;
  update: CompiledStatement<(typeof CHANGED_COLUMNS)[number] | 'id' | 'loadedVersion'>;
  /** By the number of events one save inserts. */
  events: Map<number, CompiledStatement<EventColumn>>;
}

export function compileStatements(dataSource: DataSource): Statements {
  return {
    // One statement locks the interview row (not its interviewee's) and reads what the rules need.
    load: CompiledStatement.compile(dataSource, ['id'], (d) =>
      d
        .createQueryBuilder(InterviewRecord, 'i')
        .innerJoin('i.interviewee', 'e')
        .addSelect('e.driverId')
        .where('i.id = :id')
        .setLock('pessimistic_write', undefined, ['i']),
    ),
    // The columns are named: TypeORM would otherwise send DEFAULT for the generated id.
    insert: CompiledStatement.compile(
      dataSource,
      NEW_COLUMNS,
      (d) => d.createQueryBuilder().insert().into(InterviewRecord, [...NEW_COLUMNS]).values(placeholders(NEW_COLUMNS)).updateEntity(false),
      columnsOf(dataSource, InterviewRecord),
    ),
    // Versioned: the condition carries the version loaded under the lock.
    update: CompiledStatement.compile(
      dataSource,
      [...CHANGED_COLUMNS, 'id', 'loadedVersion'],
      (d) =>
        d
          .createQueryBuilder()
          .update(InterviewRecord)
          .set({ ...placeholders(CHANGED_COLUMNS), updatedAt: () => 'now()' })
          .where('id = :id AND version = :loadedVersion')
          .updateEntity(false),
      columnsOf(dataSource, InterviewRecord),
    ),
    events: new Map(),
  };
}

export function eventsStatement(dataSource: DataSource, count: number): CompiledStatement<EventColumn> {
  const rows = Array.from({ length: count }, (_, n) => placeholders(EVENT_COLUMNS, `_${n}`));
  const names = rows.flatMap((_, n) => EVENT_COLUMNS.map((column) => `${column}_${n}` as EventColumn));
  return CompiledStatement.compile(
    dataSource,
    names,
    (d) => d.createQueryBuilder().insert().into(InterviewEventRecord, [...EVENT_COLUMNS]).values(rows).updateEntity(false),
    columnsOf(dataSource, InterviewEventRecord),
  );
}

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
  private compiled?: Statements;

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
    const { runner, dataSource } = this.runnerOf(tx);
    const { records } = await this.statements(dataSource).load.run(runner, { id });
    if (records.length === 0) return null;
    const record = Object.assign(hydrate(dataSource, InterviewRecord, 'i', records[0]), {
      interviewee: hydrate(dataSource, IntervieweeRecord, 'e', records[0]),
    });
    const interview = Interview.rehydrate(InterviewMapper.toState(record));
    this.loaded.set(interview, interview.version);
    return interview;
  }

  async save(interview: Interview, tx: Transaction): Promise<void> {
    const { runner, dataSource } = this.runnerOf(tx);
    const statements = this.statements(dataSource);
    const state = interview.snapshot();
    const loadedVersion = this.loaded.get(interview);
    try {
      if (loadedVersion === undefined) {
        await statements.insert.run(runner, InterviewMapper.toNewRecord(state));
      } else if (state.version !== loadedVersion) {
        const { affected } = await statements.update.run(runner, { ...InterviewMapper.toChangedColumns(state), id: state.id, loadedVersion });
        if (affected !== 1) throw new ConcurrentUpdateError(`interview ${state.id} moved past version ${loadedVersion}`);
      }
    } catch (error) {
      if ((error as { code?: unknown })?.code === EXCLUSION_VIOLATION) throw new ScheduleConflictError();
      throw error;
    }
    const events = interview.getUncommittedEvents();
    if (events.length > 0) {
      let statement = statements.events.get(events.length);
      if (!statement) statements.events.set(events.length, (statement = eventsStatement(dataSource, events.length)));
      const values = {} as Record<EventColumn, unknown>;
      events.forEach((event, n) => {
        const record = InterviewMapper.toEventRecord(event);
        for (const column of EVENT_COLUMNS) values[`${column}_${n}`] = record[column];
      });
      await statement.run(runner, values);
    }
    this.loaded.set(interview, state.version);
  }

  private runnerOf(tx: Transaction): { runner: QueryRunner; dataSource: DataSource } {
    const manager = entityManagerOf(tx);
    return { runner: manager.queryRunner as QueryRunner, dataSource: manager.connection };
  }

  private statements(dataSource: DataSource): Statements {
    return (this.compiled ??= compileStatements(dataSource));
  }
}
