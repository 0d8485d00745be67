import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';
import { SEED_UPDATE_EXAMPLE } from '../libs/interviews/src/interface/http/config.dto';

/** micro1's "Update an interview" (seed 002) and the keys that guard it. */
describe('public API: PUT /interview/:id with x-api-key', () => {
  let t: TestApp;
  let key: string;
  let keyId: number;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    const res = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'ATS' } } });
    expect(res.status).toBe(201);
    key = res.body.api_key.key;
    keyId = res.body.api_key.id;
  });
  afterAll(() => t.close());

  const put = (id: number | string, body: unknown, headers: Record<string, string> = {}) =>
    t.put(`/interview/${id}`, { body, headers: { 'x-api-key': key, ...headers } });

  async function configOf(id: number) {
    const res = await t.get(`/interview/${id}`, { headers: { 'x-api-key': key } });
    expect(res.status).toBe(200);
    return res.body.data;
  }

  it('answers the seed body with exactly the seed 200 body, and reading back shows every field', async () => {
    const { interview } = await t.scenario();
    const res = await put(interview.id, SEED_UPDATE_EXAMPLE);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: true, message: 'Interview updated successfully' });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-credentials']).toBe('true');

    const data = await configOf(interview.id);
    expect(data).toEqual({ id: interview.id, status: 'pending', start_at: interview.start_at, end_at: interview.end_at, ...SEED_UPDATE_EXAMPLE });
  });

  it('changes only what a later partial update sends', async () => {
    const { interview } = await t.scenario();
    await put(interview.id, SEED_UPDATE_EXAMPLE);
    const res = await put(interview.id, { interview_language: 'fr', custom_question_list: [{ question: 'Why us?' }] });
    expect(res.status).toBe(200);
    const data = await configOf(interview.id);
    expect(data).toMatchObject({
      ...SEED_UPDATE_EXAMPLE,
      interview_language: 'fr',
      custom_question_list: [{ question: 'Why us?', time: 2, type: 'audio' }],
    });
  });

  it('echoes the caller Origin in CORS headers, on errors too', async () => {
    const res = await put(999999999, {}, { origin: 'https://ats.example' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: false, message: 'Interview not found' });
    expect(res.headers['access-control-allow-origin']).toBe('https://ats.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
  });

  const invalid: [string, unknown, RegExp][] = [
    ['11 skills', { skills: Array.from({ length: 11 }, (_, i) => ({ name: `S${i}` })) }, /^skills /],
    ['a skill without a name', { skills: [{ description: 'no name' }] }, /^skills\.0\.name /],
    ['21 questions', { custom_question_list: Array.from({ length: 21 }, () => ({ question: 'Q?' })) }, /^custom_question_list /],
    ['a question time of 0', { custom_question_list: [{ question: 'Q?', time: 0 }] }, /^custom_question_list\.0\.time /],
    ['a question time of 5', { custom_question_list: [{ question: 'Q?', time: 5 }] }, /^custom_question_list\.0\.time /],
    ['a question of type video', { custom_question_list: [{ question: 'Q?', type: 'video' }] }, /^custom_question_list\.0\.type /],
    ['language xx', { interview_language: 'xx' }, /^interview_language /],
    ['a string for a boolean', { is_proctoring_required: 'yes' }, /^is_proctoring_required /],
    ['an unknown field', { salary: 100 }, /^salary /],
    ['only_coding_round without a language', { only_coding_round: true }, /^selected_coding_language /],
    ['2,001 characters of details', { coding_exercise_details: 'x'.repeat(2001) }, /^coding_exercise_details /],
    ['an empty interview name', { interview_name: '' }, /^interview_name /],
    ['null skills', { skills: null }, /^skills /],
  ];

  it.each(invalid)('refuses %s with 400 naming the field, and changes nothing', async (_, body, message) => {
    const { interview } = await t.scenario();
    const before = await t.snapshot();
    const res = await put(interview.id, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: false, message: expect.stringMatching(message) });
    expect(await t.snapshot()).toBe(before);
  });

  it('refuses broken JSON with 400 in the public envelope', async () => {
    const { interview } = await t.scenario();
    const before = await t.snapshot();
    const res = await t.put(`/interview/${interview.id}`, { raw: '{"skills": [', headers: { 'x-api-key': key } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ status: false, message: expect.any(String) });
    expect(await t.snapshot()).toBe(before);
  });

  it('answers 409 when the interview can no longer be updated', async () => {
    const { interview, interviewer } = await t.scenario();
    await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token });
    const res = await put(interview.id, { interview_language: 'de' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ status: false, message: expect.stringContaining('cancelled') });
  });

  describe('keys', () => {
    it('refuses a missing, wrong, revoked or Bearer-instead-of-key credential with the same 401', async () => {
      const { interview, interviewer } = await t.scenario();
      const expected = { status: false, message: 'Invalid API key' };
      const missing = await t.put(`/interview/${interview.id}`, { body: {} });
      const wrong = await t.put(`/interview/${interview.id}`, { body: {}, headers: { 'x-api-key': key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A') } });
      const bearer = await t.put(`/interview/${interview.id}`, { body: {}, token: interviewer.token });
      for (const res of [missing, wrong, bearer]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual(expected);
      }

      const spare = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'spare' } } });
      expect((await t.put(`/interview/${interview.id}`, { body: {}, headers: { 'x-api-key': spare.body.api_key.key } })).status).toBe(200);
      expect((await t.delete(`/api/v1/admin/api_keys/${spare.body.api_key.id}`, { token: await t.admin() })).status).toBe(204);
      const revoked = await t.put(`/interview/${interview.id}`, { body: {}, headers: { 'x-api-key': spare.body.api_key.key } });
      expect(revoked.status).toBe(401);
      expect(revoked.body).toEqual(expected);
    });

    it('never takes an API key for a Bearer token', async () => {
      const res = await t.get('/api/v1/me', { headers: { 'x-api-key': key } });
      expect(res.status).toBe(401);
      const asBearer = await t.get('/api/v1/me', { headers: { authorization: `Bearer ${key}` } });
      expect(asBearer.status).toBe(401);
    });

    it('lists keys without their secrets, and only admins manage them', async () => {
      const list = await t.get('/api/v1/admin/api_keys', { token: await t.admin() });
      expect(list.status).toBe(200);
      const mine = list.body.api_keys.find((k: { id: number }) => k.id === keyId);
      expect(Object.keys(mine).sort()).toEqual(['created_at', 'id', 'name', 'prefix', 'revoked_at']);
      expect(JSON.stringify(list.body)).not.toContain(key);
      expect(key.startsWith(mine.prefix)).toBe(true);

      const interviewer = await t.user('interviewer');
      expect((await t.get('/api/v1/admin/api_keys', { token: interviewer.token })).status).toBe(403);
      expect((await t.delete('/api/v1/admin/api_keys/999999', { token: await t.admin() })).status).toBe(404);
    });

    it('stores only a hash of the key', async () => {
      const [row] = await t.dataSource.query(`SELECT * FROM api_keys WHERE id = $1`, [keyId]);
      expect(JSON.stringify(row)).not.toContain(key.split('_')[2]);
    });
  });

  describe('config events', () => {
    it('records interview.config_updated with the actor and the changed fields; a no-op records none', async () => {
      const { interview, interviewer } = await t.scenario();
      await put(interview.id, { interview_language: 'de', is_proctoring_required: false });
      await put(interview.id, { interview_language: 'de' });
      const byUser = await t.put(`/api/v1/interviews/${interview.id}/config`, { token: interviewer.token, body: { interview_name: 'Driver check' } });
      expect(byUser.status).toBe(200);
      expect(byUser.body.interview.config.interview_name).toBe('Driver check');
      expect(byUser.body.interview.version).toBe(3);

      const events = (await t.get(`/api/v1/interviews/${interview.id}/events`, { token: interviewer.token })).body.events;
      const updates = events.filter((e: { type: string }) => e.type === 'interview.config_updated');
      expect(updates).toHaveLength(2);
      expect(updates[0].actor).toEqual({ type: 'api_key', id: keyId });
      expect(updates[0].data).toEqual({
        changed: ['interview_language', 'is_proctoring_required'],
        old: { interview_language: 'en', is_proctoring_required: true },
        new: { interview_language: 'de', is_proctoring_required: false },
      });
      expect(updates[1].actor).toEqual({ type: 'user', id: interviewer.id, role: 'interviewer' });
      expect(updates[1].data.changed).toEqual(['interview_name']);
    });

    it('refuses the config route to drivers with 403', async () => {
      const { interview, driver } = await t.scenario();
      const res = await t.put(`/api/v1/interviews/${interview.id}/config`, { token: driver.token, body: { interview_language: 'de' } });
      expect(res.status).toBe(403);
    });
  });

  describe('reads micro1 lacks', () => {
    it('lists interviews with a keyword on the name, a limit and a total', async () => {
      const { interview } = await t.scenario();
      const name = `Forklift ${Date.now()}`;
      await put(interview.id, { interview_name: name });
      const res = await t.get(`/interviews?keyword=${encodeURIComponent(name.toLowerCase())}&limit=5`, { headers: { 'x-api-key': key } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: true, data: { page: 1, limit: 5, total: 1 } });
      expect(res.body.data.interviews[0]).toMatchObject({ id: interview.id, interview_name: name });
      expect((await t.get('/interviews?limit=101', { headers: { 'x-api-key': key } })).status).toBe(400);
    });
  });
});
