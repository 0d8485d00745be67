import { Response, TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** API.md, "Conventions" and "Operations": what every route shares, whatever it does. */
describe('platform (HTTP conventions, errors, health, OpenAPI)', () => {
  let t: TestApp;
  let interviewer: { id: number; token: string };
  let driver: { id: number; token: string };
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  /** Every error body a test saw; checked for leaks at the end. */
  const errorBodies: Response[] = [];

  const seen = (res: Response): Response => {
    if (res.status >= 400) errorBodies.push(res);
    return res;
  };

  const expectSecurityHeaders = (res: Response) => {
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-permitted-cross-domain-policies']).toBe('none');
    expect(res.headers['x-xss-protection']).toBe('0');
  };

  const expectError = (res: Response, status: number, code: string) => {
    seen(res);
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect(Object.keys(res.body)).toEqual(['error']);
  };

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    interviewer = await t.user('interviewer');
    driver = (await t.interviewee()).driver;
  });
  afterAll(() => t.close());

  describe('x-request-id', () => {
    it('echoes the request id the caller sent', async () => {
      const res = await t.get('/health/live', { headers: { 'x-request-id': 'client-req-42.a:b@c' } });
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('client-req-42.a:b@c');
    });

    it('echoes the caller id on error answers too', async () => {
      const res = seen(await t.get('/api/v1/me', { headers: { 'x-request-id': 'trace-401' } }));
      expect(res.status).toBe(401);
      expect(res.headers['x-request-id']).toBe('trace-401');
    });

    it('generates a UUID when the caller sent none, a fresh one per request', async () => {
      const first = await t.get('/health/live');
      const second = await t.get('/health/live');
      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });
  });

  describe('security headers', () => {
    it('are on successful, client-error, not-found and body-limit answers alike', async () => {
      const answers = [
        await t.get('/health/live'),
        await t.get('/health/ready'),
        await t.get('/api/v1/me', { token: interviewer.token }),
        seen(await t.get('/api/v1/me')),
        seen(await t.get('/no/such/route')),
        seen(await t.post('/api/v1/auth/sign_in', { raw: '{"user":' })),
        seen(await t.post('/api/v1/auth/sign_in', { raw: JSON.stringify({ pad: 'x'.repeat(101 * 1024) }) })),
        seen(await t.get('/api/v1/interviews/abc', { token: interviewer.token })),
        await t.get('/docs-json'),
      ];
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401, 404, 400, 413, 400, 200]);
      for (const res of answers) {
        expectSecurityHeaders(res);
        expect(res.headers['x-request-id']).toEqual(expect.any(String));
      }
    });
  });

  describe('error envelope', () => {
    it('answers broken JSON with 400 malformed_json', async () => {
      const res = await t.post('/api/v1/auth/sign_in', { raw: '{"user": {"email": "a@b.c", ' });
      expectError(res, 400, 'malformed_json');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    });

    it('answers broken JSON on an authenticated route with 400 malformed_json', async () => {
      const before = await t.snapshot();
      const res = await t.post('/api/v1/interviews', { token: interviewer.token, raw: '{"interview": [1, 2,,]}' });
      expectError(res, 400, 'malformed_json');
      expect(await t.snapshot()).toBe(before);
    });

    it('answers a body over 100 kB with 413 payload_too_large and changes nothing', async () => {
      const before = await t.snapshot();
      const huge = JSON.stringify({ interview: { location: 'x'.repeat(100 * 1024 + 1) } });
      const res = await t.post('/api/v1/interviews', { token: interviewer.token, raw: huge });
      expectError(res, 413, 'payload_too_large');
      expect(await t.snapshot()).toBe(before);
    });

    it('accepts a body just under the limit as far as size goes (it is then validated)', async () => {
      const body = JSON.stringify({ user: { email: 'nobody@test.example', password: 'p'.repeat(90 * 1024) } });
      const res = await t.post('/api/v1/auth/sign_in', { raw: body });
      // the size is fine; the password is longer than the DTO allows
      expectError(res, 400, 'validation_failed');
    });

    it('answers an unknown route with 404 not_found', async () => {
      expectError(await t.get('/api/v1/no_such_thing'), 404, 'not_found');
      expectError(await t.post('/nothing/here', { body: {} }), 404, 'not_found');
    });

    it('answers an unknown route with 404 not_found also for a signed-in caller', async () => {
      expectError(await t.get('/api/v1/interviews/1/nothing', { token: interviewer.token }), 404, 'not_found');
    });
  });

  describe('path ids', () => {
    const BAD_IDS = ['0', '-1', 'abc', '1.5', '9223372036854775808', '99999999999999999999'];

    it.each(BAD_IDS)('answers GET /api/v1/interviews/%s with 400 validation_failed', async (id) => {
      const res = await t.get(`/api/v1/interviews/${id}`, { token: interviewer.token });
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toEqual([{ field: 'id', message: expect.any(String) }]);
    });

    it.each(BAD_IDS)('answers the other id routes with 400 for id %s, before any state is read', async (id) => {
      const before = await t.snapshot();
      const answers = [
        await t.get(`/api/v1/interviews/${id}/events`, { token: interviewer.token }),
        await t.post(`/api/v1/interviews/${id}/cancel`, { token: interviewer.token, body: {} }),
        await t.post(`/api/v1/interviews/${id}/amend`, {
          token: interviewer.token,
          body: { interview: { amend_start_at: '2031-01-01T10:00:00Z', amend_end_at: '2031-01-01T11:00:00Z' } },
        }),
        await t.get(`/api/v1/users/interviews/${id}`, { token: driver.token }),
        await t.post(`/api/v1/users/interviews/${id}/accept`, { token: driver.token }),
        await t.get(`/api/v1/interviews/${id}`, { token: await t.admin() }),
      ];
      for (const res of answers) expectError(res, 400, 'validation_failed');
      expect(await t.snapshot()).toBe(before);
    });

    it('answers the largest bigint id with 404 not_found, not 400 or 500', async () => {
      const res = await t.get('/api/v1/interviews/9223372036854775807', { token: interviewer.token });
      expectError(res, 404, 'not_found');
      const events = await t.get('/api/v1/interviews/9223372036854775807/events', { token: interviewer.token });
      expectError(events, 404, 'not_found');
      const cancel = await t.post('/api/v1/interviews/9223372036854775807/cancel', { token: interviewer.token });
      expectError(cancel, 404, 'not_found');
    });

    it('answers an id that does not exist with 404 not_found', async () => {
      expectError(await t.get('/api/v1/interviews/123456789', { token: interviewer.token }), 404, 'not_found');
    });
  });

  describe('health', () => {
    it('answers /health/live with 200 without authentication', async () => {
      const res = await t.get('/health/live');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok' });
    });

    it('answers /health/ready with 200 without authentication, having checked the database', async () => {
      const res = await t.get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });
  });

  describe('OpenAPI document', () => {
    it('is an OpenAPI 3 document with the amend route and a bearer security scheme', async () => {
      const res = await t.get('/docs-json');
      expect(res.status).toBe(200);
      const doc = res.body;
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths['/api/v1/interviews/{id}/amend']).toBeDefined();
      expect(doc.paths['/api/v1/interviews/{id}/amend'].post).toBeDefined();
      const schemes = Object.values(doc.components.securitySchemes) as { type: string; scheme?: string }[];
      expect(schemes).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
      // the amend route asks for that scheme
      const schemeNames = Object.entries(doc.components.securitySchemes)
        .filter(([, s]) => (s as { scheme?: string }).scheme === 'bearer')
        .map(([name]) => name);
      const security = (doc.paths['/api/v1/interviews/{id}/amend'].post.security ?? doc.security ?? []) as Record<string, unknown>[];
      expect(security.some((req) => Object.keys(req).some((name) => schemeNames.includes(name)))).toBe(true);
    });

    it('serves the Swagger UI at /docs without authentication', async () => {
      const res = await t.get('/docs');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toMatch(/text\/html/);
    });
  });

  describe('no leaks', () => {
    it('puts no stack trace or SQL in any error body seen above', async () => {
      expect(errorBodies.length).toBeGreaterThan(20);
      for (const res of errorBodies) {
        expect(res.text).not.toContain('at ');
        expect(res.text).not.toMatch(/SELECT/i);
        expect(res.text).not.toContain('QueryFailedError');
        expect(res.text).not.toContain('node_modules');
        expect(res.text).not.toContain('stack');
      }
    });
  });
});
