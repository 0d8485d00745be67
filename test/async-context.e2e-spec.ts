import { AsyncLocalStorage } from 'node:async_hooks';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * On Node 20 one AsyncLocalStorage in use turns promise hooks on for the whole process, a cost on
 * every promise of every request (docs/BENCHMARKS.md). The transaction is passed explicitly and the
 * request log needs no context, so serving requests must never enter one.
 */
describe('the request path keeps no async context', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it('creates, amends, updates the AI config (API key), rejects, reads and lists without entering an AsyncLocalStorage', async () => {
    const { interviewer, interviewee } = await t.scenario();
    const key = (await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'async-context' } } })).body.api_key.key;
    const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
    const enterWith = jest.spyOn(AsyncLocalStorage.prototype, 'enterWith');

    const start = new Date(t.clock.now().getTime() + 48 * 3600_000);
    const created = await t.post('/api/v1/interviews', {
      token: interviewer.token,
      body: { interview: { interviewee_id: interviewee.id, start_at: start.toISOString(), end_at: new Date(start.getTime() + 1_800_000).toISOString(), kind: 'video_call', location: 'Leeds' } },
    });
    expect(created.status).toBe(201);
    const id = created.body.interview.id;
    const proposal = new Date(start.getTime() + 3600_000);
    const amended = await t.post(`/api/v1/interviews/${id}/amend`, {
      token: interviewer.token,
      body: { interview: { amend_start_at: proposal.toISOString(), amend_end_at: new Date(proposal.getTime() + 1_800_000).toISOString() } },
    });
    expect(amended.status).toBe(200);
    expect((await t.put(`/interview/${id}`, { body: { interview_name: 'No context' }, headers: { 'x-api-key': key } })).status).toBe(200);
    const declined = await t.post(`/api/v1/interviews/${id}/reject`, { token: interviewee.driver.token, body: {} });
    expect(declined.status).toBe(200);
    expect((await t.get(`/api/v1/interviews/${id}`, { token: interviewer.token })).status).toBe(200);
    expect((await t.get('/api/v1/interviews', { token: interviewer.token })).status).toBe(200);

    expect(run).not.toHaveBeenCalled();
    expect(enterWith).not.toHaveBeenCalled();
  });
});
