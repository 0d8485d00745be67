import { randomUUID } from 'node:crypto';
import { ShutdownState } from '#platform';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * Decisions by the matched route, never by the raw URL: a percent-encoded path reaches the same
 * handler, so it must meet the same rules (issue "decisions by raw URL").
 */
describe('decisions by the matched route, not the raw URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t.close());

  const proposal = (start: Date, hours: number) => {
    const s = new Date(start.getTime() + hours * 3600_000);
    return { interview: { amend_start_at: s.toISOString(), amend_end_at: new Date(s.getTime() + 1800_000).toISOString() } };
  };
  const encode = (text: string) => [...text].map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

  it('stores no sign-in answer (a token) under an Idempotency-Key, however the path is spelled', async () => {
    const body = { user: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } };
    for (const path of ['/api/v1/auth/sign_in', '/%61pi/v1/auth/sign_in', `/api/v1/${encode('auth')}/sign_in`, '/api/v1/auth/sign%5Fin']) {
      const key = `sign-in-${randomUUID()}`;
      const res = await t.post(path, { headers: { 'idempotency-key': key }, body });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(await t.dataSource.query(`SELECT 1 FROM idempotency_keys WHERE key = $1`, [key])).toHaveLength(0);
    }
  });

  it('replays the same key on /interviews/%31%35/amend and /interviews/15/amend: one change, one event', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': `amend-${randomUUID()}` };
    const body = proposal(start, 3);
    const encoded = await t.post(`/api/v1/interviews/${encode(String(interview.id))}/amend`, { token: interviewer.token, headers, body });
    expect(encoded.status).toBe(200);
    const plain = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body });
    expect(plain.status).toBe(200);
    expect(plain.headers['idempotent-replayed']).toBe('true');
    expect(plain.body).toEqual(encoded.body);
    const events = (await t.get(`/api/v1/interviews/${interview.id}/events`, { token: interviewer.token })).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'interview.amended')).toHaveLength(1);
  });

  it('keeps keys of different interviews apart on the same route', async () => {
    const a = await t.scenario();
    const b = await t.scenario();
    const headers = { 'idempotency-key': `shared-${randomUUID()}` };
    expect((await t.post(`/api/v1/interviews/${a.interview.id}/amend`, { token: a.interviewer.token, headers, body: proposal(a.start, 2) })).status).toBe(200);
    // The same caller, the same key, another interview: a fresh run (another resource), not a replay.
    const res = await t.post(`/api/v1/interviews/${b.interview.id}/amend`, { token: await t.admin(), headers, body: proposal(b.start, 2) });
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('answers an encoded public path in the public envelope, with its CORS headers', async () => {
    const created = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'enc' } } });
    const key = created.body.api_key.key;
    const res = await t.get(`/${encode('interview')}/999999999`, { headers: { 'x-api-key': key, origin: 'https://ats.example' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ status: false, message: 'Interview not found' });
    expect(res.headers['access-control-allow-origin']).toBe('https://ats.example');
  });

  // Last: it leaves this app draining.
  it('answers an encoded /health/ready with terminus\'s own body when it fails', async () => {
    t.app.get(ShutdownState).beginDrain();
    const plain = await t.get('/health/ready');
    expect(plain.status).toBe(503);
    const encoded = await t.get(`/${encode('health')}/ready`);
    expect(encoded.status).toBe(plain.status);
    expect(Object.keys(encoded.body)).toEqual(Object.keys(plain.body));
  });
});
