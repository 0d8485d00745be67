import { CommandBus } from '@nestjs/cqrs';
import { TestApp } from '#testing';
import { AppModule } from '../../../../../../apps/api/src/app.module';
import { AcceptInterviewCommand } from '../accept-interview/accept-interview.command';
import { AmendInterviewCommand } from './amend-interview.command';

/** The handler through the CommandBus on a real PostgreSQL: one transaction, one version step, one event row. */
describe('AmendInterviewHandler', () => {
  let t: TestApp;
  let bus: CommandBus;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    bus = t.app.get(CommandBus);
  });
  afterAll(() => t.close());

  const row = async (id: number) =>
    (await t.dataSource.query(`SELECT status, version, amend_start_at, amended_by FROM interviews WHERE id = $1`, [id]))[0];
  const events = async (id: number) =>
    (await t.dataSource.query(`SELECT type, actor, data FROM interview_events WHERE interview_id = $1 ORDER BY id`, [id])) as {
      type: string;
      actor: unknown;
      data: Record<string, unknown>;
    }[];

  it('stores the proposal, one version step and one interview.amended row in one go', async () => {
    const { interview, interviewer, start, end } = await t.scenario();
    const proposalStart = new Date(start.getTime() + 3600_000);
    const proposalEnd = new Date(end.getTime() + 3600_000);
    const actor = { type: 'user' as const, id: String(interviewer.id), role: 'interviewer' as const };

    const result = await bus.execute(new AmendInterviewCommand(actor, String(interview.id), undefined, proposalStart, proposalEnd));

    expect(result).toEqual({ id: String(interview.id), version: 2 });
    expect(await row(interview.id)).toEqual({ status: 'amended', version: 2, amend_start_at: proposalStart, amended_by: 'interviewer' });
    const log = await events(interview.id);
    expect(log.map((e) => e.type)).toEqual(['interview.created', 'interview.amended']);
    expect(log[1].actor).toEqual({ type: 'user', id: interviewer.id, role: 'interviewer' });
    expect(log[1].data).toMatchObject({
      amend_start_at: proposalStart.toISOString(),
      start_at: start.toISOString(),
      previous_status: 'pending',
    });
  });

  it('rolls back everything when the rule says no: same row, no event', async () => {
    const { interview, interviewer, start, end } = await t.scenario();
    const actor = { type: 'user' as const, id: String(interviewer.id), role: 'interviewer' as const };
    await expect(
      bus.execute(new AcceptInterviewCommand(actor, String(interview.id), undefined)),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      bus.execute(new AmendInterviewCommand(actor, String(interview.id), [7], new Date(start.getTime() + 7200_000), new Date(end.getTime() + 7200_000))),
    ).rejects.toMatchObject({ code: 'precondition_failed' });
    expect(await row(interview.id)).toMatchObject({ status: 'pending', version: 1 });
    expect((await events(interview.id)).map((e) => e.type)).toEqual(['interview.created']);
  });
});
