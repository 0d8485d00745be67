import { DataSource } from 'typeorm';
import { TestApp } from '#testing';
import { AppModule } from '../../../../apps/api/src/app.module';
import { DEFAULT_CONFIG, type InterviewState } from '../domain';
import { InterviewMapper } from './interview.mapper';
import { InterviewEventRecord, InterviewRecord } from './interview.records';
import { compileStatements, eventsStatement } from './typeorm-interview.repository';

/**
 * The write path's statements are compiled once from the entities (CompiledStatement): each must
 * be, to the character and the parameter, what TypeORM's QueryBuilder writes for the same values.
 */
describe('the interview write statements compiled once', () => {
  let t: TestApp;
  let dataSource: DataSource;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  const state: InterviewState = {
    id: '42',
    interviewerId: '7',
    intervieweeId: '9',
    driverId: '11',
    kind: 'video_call',
    location: null,
    startAt: new Date('2031-03-01T10:00:00.000Z'),
    endAt: new Date('2031-03-01T11:00:00.000Z'),
    proposal: { startAt: new Date('2031-03-02T10:00:00.000Z'), endAt: new Date('2031-03-02T11:00:00.000Z'), by: 'interviewee' },
    status: 'amended',
    statusBeforeAmendment: 'scheduled',
    cancelReason: null,
    config: { ...DEFAULT_CONFIG, interview_name: 'Backend "engineer"', skills: [{ name: 'SQL', description: 'joins' }] },
    version: 3,
  };

  it('locks and reads as the select query builder does', () => {
    const [text, parameters] = dataSource
      .createQueryBuilder(InterviewRecord, 'i')
      .innerJoin('i.interviewee', 'e')
      .addSelect('e.driverId')
      .where('i.id = :id', { id: '42' })
      .setLock('pessimistic_write', undefined, ['i'])
      .getQueryAndParameters();
    const { load } = compileStatements(dataSource);
    expect(load.text).toBe(text);
    expect(load.parameters({ id: '42' })).toEqual(parameters);
  });

  it('inserts a new interview as the insert query builder does', () => {
    const [text, parameters] = dataSource
      .createQueryBuilder()
      .insert()
      .into(InterviewRecord, [...InterviewMapper.NEW_COLUMNS])
      .values(InterviewMapper.toNewRecord(state) as never)
      .updateEntity(false)
      .getQueryAndParameters();
    const { insert } = compileStatements(dataSource);
    expect(insert.text).toBe(text);
    expect(insert.parameters(InterviewMapper.toNewRecord(state))).toEqual(parameters);
  });

  it('updates under the loaded version as the update query builder does', () => {
    const [text, parameters] = dataSource
      .createQueryBuilder()
      .update(InterviewRecord)
      .set({ ...(InterviewMapper.toChangedColumns(state) as object), updatedAt: () => 'now()' })
      .where('id = :id AND version = :loadedVersion', { id: state.id, loadedVersion: 2 })
      .updateEntity(false)
      .getQueryAndParameters();
    const { update } = compileStatements(dataSource);
    expect(update.text.replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
    expect(update.parameters({ ...InterviewMapper.toChangedColumns(state), id: state.id, loadedVersion: 2 })).toEqual(parameters);
  });

  it('inserts two events in one statement as the insert query builder does', () => {
    const events = [0, 1].map((n) => ({
      interviewId: '42',
      type: n ? 'interview.amended' : 'interview.accepted',
      actor: { type: 'user', id: 7, role: 'interviewer' },
      data: { n, note: 'a "quoted" value' },
      occurredAt: new Date(`2031-03-01T10:00:0${n}.000Z`),
    }));
    const [text, parameters] = dataSource
      .createQueryBuilder()
      .insert()
      .into(InterviewEventRecord, [...InterviewMapper.EVENT_COLUMNS])
      .values(events as never)
      .updateEntity(false)
      .getQueryAndParameters();
    const statement = eventsStatement(dataSource, 2);
    expect(statement.text).toBe(text);
    const values = Object.fromEntries(events.flatMap((event, n) => InterviewMapper.EVENT_COLUMNS.map((column) => [`${column}_${n}`, event[column]])));
    expect(statement.parameters(values as never)).toEqual(parameters);
  });
});
