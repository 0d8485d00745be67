import { CommandBus, EventBus } from '@nestjs/cqrs';
import { Sql } from '#platform';
import { TestApp } from '#testing';
import { AppModule } from '../../../../apps/api/src/app.module';
import { AmendInterviewCommand } from './commands/amend-interview/amend-interview.command';

/**
 * Issue 16, item 7: the in-process EventBus hears of a change only once it has committed — inside
 * a batch that joins one outer transaction (`Sql.joinOneTransaction`, the demo seed's), only once
 * the outer one has; and never of a change that was rolled back.
 */
describe('events are published after their commit', () => {
  let t: TestApp;
  let heard: { type?: string; interviewId?: string }[];
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    t.app.get(EventBus).subscribe((event) => heard.push(event as { type?: string; interviewId?: string }));
  });
  beforeEach(() => (heard = []));
  afterAll(() => t.close());

  const amend = async () => {
    const { interview, interviewer, start } = await t.scenario();
    const at = new Date(start.getTime() + 3600_000);
    const command = new AmendInterviewCommand({ type: 'user', id: String(interviewer.id), role: 'interviewer' }, String(interview.id), undefined, at, new Date(at.getTime() + 1800_000));
    return { id: String(interview.id), command };
  };
  const amendedEvents = async (id: string) =>
    Number((await t.dataSource.query(`SELECT count(*) FROM interview_events WHERE interview_id = $1 AND type = 'interview.amended'`, [id]))[0].count);

  it('a command on its own: published right after its own commit', async () => {
    const { id, command } = await amend();
    heard = [];
    await t.app.get(CommandBus).execute(command);
    expect(heard.filter((e) => e.interviewId === id)).toHaveLength(1);
  });

  it('inside joinOneTransaction: nothing is heard until the outer transaction commits', async () => {
    const { id, command } = await amend();
    heard = [];
    const sql = t.app.get(Sql);
    await sql.joinOneTransaction(async () => {
      await t.app.get(CommandBus).execute(command);
      expect(heard.filter((e) => e.interviewId === id)).toHaveLength(0);
      // Not yet visible to anyone else either.
      expect(await amendedEvents(id)).toBe(0);
    });
    expect(heard.filter((e) => e.interviewId === id)).toHaveLength(1);
    expect(await amendedEvents(id)).toBe(1);
  });

  it('inside joinOneTransaction that rolls back: never heard, never stored', async () => {
    const { id, command } = await amend();
    heard = [];
    await expect(
      t.app.get(Sql).joinOneTransaction(async () => {
        await t.app.get(CommandBus).execute(command);
        throw new Error('the batch fails after the command');
      }),
    ).rejects.toThrow('the batch fails');
    expect(heard.filter((e) => e.interviewId === id)).toHaveLength(0);
    expect(await amendedEvents(id)).toBe(0);
  });
});
