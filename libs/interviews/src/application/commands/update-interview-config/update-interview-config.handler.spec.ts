import { CommandBus } from '@nestjs/cqrs';
import { TestApp } from '#testing';
import { AppModule } from '../../../../../../apps/api/src/app.module';
import { type Actor, DEFAULT_CONFIG, type InterviewConfigPatch } from '../../../domain';
import { SEED_UPDATE_EXAMPLE } from '../../../interface/http/config.dto';
import { CancelInterviewCommand } from '../cancel-interview/cancel-interview.command';
import { UpdateInterviewConfigCommand } from './update-interview-config.command';

/**
 * The handler through the CommandBus on a real PostgreSQL: a change is one version step and one
 * interview.config_updated row; a change of nothing, or a refusal, leaves the row and the log alone.
 * Every update after the first runs on the configuration as the jsonb column hands it back.
 */
describe('UpdateInterviewConfigHandler', () => {
  let t: TestApp;
  let bus: CommandBus;
  let apiKey: Actor;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    bus = t.app.get(CommandBus);
    const res = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'ATS' } } });
    if (res.status !== 201) throw new Error(`API key creation failed: ${res.status} ${res.text}`);
    apiKey = { type: 'api_key', id: String(res.body.api_key.id) };
  });
  afterAll(() => t.close());

  const SEED = SEED_UPDATE_EXAMPLE as InterviewConfigPatch;
  const asInterviewer = (interviewer: { id: number }): Actor => ({ type: 'user', id: String(interviewer.id), role: 'interviewer' });
  const update = (actor: Actor, id: number, patch: InterviewConfigPatch, expected?: number[]) =>
    bus.execute(new UpdateInterviewConfigCommand(actor, String(id), expected, patch));

  const row = async (id: number) =>
    (await t.dataSource.query(`SELECT status, version, config, updated_at FROM interviews WHERE id = $1`, [id]))[0];
  const events = async (id: number) =>
    (await t.dataSource.query(`SELECT type, actor, data FROM interview_events WHERE interview_id = $1 ORDER BY id`, [id])) as {
      type: string;
      actor: unknown;
      data: Record<string, unknown>;
    }[];

  it('stores the change, one version step and one interview.config_updated row with the changed fields', async () => {
    const { interview, interviewer } = await t.scenario();

    const result = await update(asInterviewer(interviewer), interview.id, { interview_language: 'fr', skills: [{ name: 'SQL' }] });

    expect(result).toEqual({ id: String(interview.id), version: 2 });
    expect(await row(interview.id)).toMatchObject({
      status: 'pending',
      version: 2,
      config: { ...DEFAULT_CONFIG, interview_language: 'fr', skills: [{ name: 'SQL' }] },
    });
    const log = await events(interview.id);
    expect(log.map((e) => e.type)).toEqual(['interview.created', 'interview.config_updated']);
    expect(log[1].actor).toEqual({ type: 'user', id: interviewer.id, role: 'interviewer' });
    expect(log[1].data).toEqual({
      changed: ['skills', 'interview_language'],
      old: { skills: [], interview_language: 'en' },
      new: { skills: [{ name: 'SQL' }], interview_language: 'fr' },
    });
  });

  it("after the seed's full update, the same {interview_language: 'fr'} twice records one event: the second changes nothing (issue 16, item 6)", async () => {
    const { interview } = await t.scenario();

    expect(await update(apiKey, interview.id, SEED)).toEqual({ id: String(interview.id), version: 2 });
    // the premise: jsonb hands the question back with its keys in its own order, not the one written
    const [{ question }] = await t.dataSource.query(`SELECT config->'custom_question_list'->0 AS question FROM interviews WHERE id = $1`, [interview.id]);
    expect(Object.keys(question)).toEqual(['time', 'type', 'question']);

    expect(await update(apiKey, interview.id, { interview_language: 'fr' })).toEqual({ id: String(interview.id), version: 3 });
    const before = await row(interview.id);
    expect(await update(apiKey, interview.id, { interview_language: 'fr' })).toEqual({ id: String(interview.id), version: 3 });

    expect(await row(interview.id)).toEqual(before);
    expect(before).toMatchObject({ version: 3, config: { ...SEED_UPDATE_EXAMPLE, interview_language: 'fr' } });
    const log = await events(interview.id);
    expect(log.map((e) => e.type)).toEqual(['interview.created', 'interview.config_updated', 'interview.config_updated']);
    expect(log[1].data.changed).toEqual([
      'interview_name',
      'skills',
      'custom_question_list',
      'selected_coding_language',
      'coding_exercise_details',
    ]);
    expect(log[2].actor).toEqual({ type: 'api_key', id: Number(apiKey.id) });
    expect(log[2].data).toEqual({ changed: ['interview_language'], old: { interview_language: 'en' }, new: { interview_language: 'fr' } });
  });

  it("the seed's full body sent again over its stored copy records nothing", async () => {
    const { interview } = await t.scenario();
    await update(apiKey, interview.id, SEED);
    const before = await row(interview.id);

    expect(await update(apiKey, interview.id, SEED)).toEqual({ id: String(interview.id), version: 2 });

    expect(await row(interview.id)).toEqual(before);
    expect((await events(interview.id)).map((e) => e.type)).toEqual(['interview.created', 'interview.config_updated']);
  });

  it('a cancelled interview refuses it with invalid_transition: same row, no new event', async () => {
    const { interview, interviewer } = await t.scenario();
    await bus.execute(new CancelInterviewCommand(asInterviewer(interviewer), String(interview.id), undefined, 'filled'));
    const before = await row(interview.id);
    const logBefore = await events(interview.id);
    expect(before).toMatchObject({ status: 'cancelled', version: 2 });

    await expect(update(asInterviewer(interviewer), interview.id, { interview_language: 'fr' })).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    await expect(update(apiKey, interview.id, SEED)).rejects.toMatchObject({ code: 'invalid_transition' });

    expect(await row(interview.id)).toEqual(before);
    expect(await events(interview.id)).toEqual(logBefore);
    expect(logBefore.map((e) => e.type)).toEqual(['interview.created', 'interview.cancelled']);
  });

  it('a stale expected version is precondition_failed and changes nothing; the current one goes through', async () => {
    const { interview, interviewer } = await t.scenario();
    const before = await row(interview.id);

    await expect(update(asInterviewer(interviewer), interview.id, { interview_language: 'fr' }, [7])).rejects.toMatchObject({
      code: 'precondition_failed',
    });

    expect(await row(interview.id)).toEqual(before);
    expect((await events(interview.id)).map((e) => e.type)).toEqual(['interview.created']);

    expect(await update(asInterviewer(interviewer), interview.id, { interview_language: 'fr' }, [1])).toEqual({ id: String(interview.id), version: 2 });
    expect((await events(interview.id)).map((e) => e.type)).toEqual(['interview.created', 'interview.config_updated']);
  });
});
