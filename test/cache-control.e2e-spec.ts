import { randomUUID } from 'node:crypto';
import { type Response, TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * Issue 15, item 10 ("Protocol details"): every answer that carries a token, a secret or personal
 * data says `Cache-Control: no-store`, so that no browser, proxy or CDN keeps it. It is the default
 * of every answer (set first, by configureHttp); a route may set its own.
 */
describe('Cache-Control: no-store on answers with tokens, secrets and personal data', () => {
  let t: TestApp;
  let admin: string;
  let apiKey: string;
  let scenario: Awaited<ReturnType<TestApp['scenario']>>;
  const webhooks: number[] = [];

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    admin = await t.admin();
    scenario = await t.scenario();
    const key = await t.post('/api/v1/admin/api_keys', { token: admin, body: { api_key: { name: `cache ${randomUUID()}` } } });
    expect(key.status).toBe(201);
    apiKey = key.body.api_key.key;
  });
  afterAll(async () => {
    if (webhooks.length) await t.dataSource.query(`DELETE FROM webhooks WHERE id = ANY($1::bigint[])`, [webhooks]);
    await t?.close();
  });

  function expectNoStore(res: Response, status: number): void {
    expect(res.status).toBe(status);
    expect(res.headers['cache-control']).toBe('no-store');
  }

  it('a sign-in answer (the token, in the body and the Authorization header)', async () => {
    const res = await t.post('/api/v1/auth/sign_in', { body: { user: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } } });
    expectNoStore(res, 200);
    expect(res.body.token).toEqual(expect.any(String));
  });

  it('an API key shown once, and its replay under the same Idempotency-Key', async () => {
    const headers = { 'idempotency-key': `cache-${randomUUID()}` };
    const body = { api_key: { name: `cache ${randomUUID()}` } };
    const first = await t.post('/api/v1/admin/api_keys', { token: admin, headers, body });
    expectNoStore(first, 201);
    expect(first.body.api_key.key).toEqual(expect.any(String));
    const replay = await t.post('/api/v1/admin/api_keys', { token: admin, headers, body });
    expectNoStore(replay, 201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('webhook secrets shown once, on both APIs', async () => {
    const adminHook = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url: 'http://127.0.0.1:9/cache' } } });
    expectNoStore(adminHook, 201);
    webhooks.push(adminHook.body.webhook.id);
    expect(adminHook.body.webhook.secret).toMatch(/^whsec_/);
    const publicHook = await t.post('/webhook', { headers: { 'x-api-key': apiKey }, body: { url: 'http://127.0.0.1:9/cache' } });
    expectNoStore(publicHook, 200);
    webhooks.push(publicHook.body.data.id);
    expect(publicHook.body.data.secret).toMatch(/^whsec_/);
  });

  it('user and interview JSON, on the driver API and micro1\'s', async () => {
    const id = scenario.interview.id;
    expectNoStore(await t.get('/api/v1/me', { token: scenario.driver.token }), 200);
    expectNoStore(await t.get(`/api/v1/interviews/${id}`, { token: scenario.interviewer.token }), 200);
    expectNoStore(await t.get('/api/v1/interviews', { token: scenario.interviewer.token }), 200);
    expectNoStore(await t.get('/api/v1/users/interviews', { token: scenario.driver.token }), 200);
    expectNoStore(await t.get(`/interview/${id}`, { headers: { 'x-api-key': apiKey } }), 200);
    expectNoStore(await t.get('/interviews', { headers: { 'x-api-key': apiKey } }), 200);
    expectNoStore(await t.get('/api/v1/events', { token: admin }), 200);
    const user = await t.post('/api/v1/admin/users', {
      token: admin,
      body: { user: { email: `cache-${randomUUID()}@test.example`, password: 'a-test-password', role: 'driver', title: 'Cache Test' } },
    });
    expectNoStore(user, 201);
  });

  it('errors too, including those answered before routing, and the CORS preflight', async () => {
    expectNoStore(await t.get('/api/v1/me'), 401);
    expectNoStore(await t.get('/api/v1/interviews/999999999', { token: scenario.interviewer.token }), 404);
    expectNoStore(await t.post('/api/v1/auth/sign_in', { body: { user: { email: 1 } } }), 400);
    expectNoStore(await t.get('/api/v1/interviews/%E0%A4%A'), 400);
    expectNoStore(await t.get('/no/such/route'), 404);
    expectNoStore(await t.request('OPTIONS', '/interviews', { headers: { origin: 'https://ats.example' } }), 204);
  });

  it('and on the metrics and the OpenAPI document; a route that sets its own keeps it (Swagger UI\'s static assets)', async () => {
    expectNoStore(await t.get('/metrics'), 200);
    expectNoStore(await t.get('/docs-json'), 200);
    const asset = await t.get('/docs/swagger-ui.css');
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=0');
  });
});
