import { randomUUID } from 'node:crypto';
import { Response, TestApp, TestClock } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * OWASP API3 (broken object property level authorization: mass assignment) and API4 (unrestricted
 * resource consumption: page sizes, body size, nesting). API.md "Conventions": unknown body
 * properties are a 400 naming the property; bodies over 100 kB a 413; input is checked before
 * state. Every refusal here must also change nothing (`t.snapshot()`), and each refused body is
 * one that the service accepts once the offending part is taken out (the control at the end).
 */

const BASE = Date.parse('2033-02-01T09:00:00.000Z');
const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const STACK_OR_SQL = /(\bat \S+ \(|\bat \/|SELECT\b|INSERT\b|QueryFailedError|node_modules|\.ts:\d+)/;

function expectError(res: Response, status: number, code: string | string[]) {
  const codes = Array.isArray(code) ? code : [code];
  expect({ status: res.status, code: codes.includes(res.body?.error?.code) ? codes[0] : res.body?.error?.code ?? res.text }).toEqual({ status, code: codes[0] });
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.text).not.toMatch(STACK_OR_SQL);
}

function expectField(res: Response, field: string | RegExp) {
  expectError(res, 400, 'validation_failed');
  const fields = (res.body.error.details ?? []).map((d: { field: string }) => d.field);
  if (typeof field === 'string') expect(fields).toContain(field);
  else expect(fields.some((f: string) => field.test(f))).toBe(true);
}

function expectPublicError(res: Response, status: number, message?: RegExp) {
  expect({ status: res.status, body: res.body }).toEqual({
    status,
    body: { status: false, message: message ? expect.stringMatching(message) : expect.any(String) },
  });
}

/** `{"a":{"a":…1…}}`, `depth` objects deep, as text (JSON.stringify itself would recurse). */
const nestedObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const nestedArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('mass assignment and oversized input (OWASP API3, API4)', () => {
  let t: TestApp;
  let interviewer: { id: number; token: string; email: string };
  let otherInterviewer: { id: number; token: string };
  let interviewee: { id: number; driver: { id: number; token: string } };
  let key: string;
  let slot = 0;

  beforeAll(async () => {
    t = await TestApp.start(AppModule, { clock: new TestClock(new Date(BASE)) });
    [interviewer, otherInterviewer, interviewee] = await Promise.all([t.user('interviewer'), t.user('interviewer'), t.interviewee()]);
    const res = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'mass-assignment' } } });
    key = res.body.api_key.key;
  });
  afterAll(() => t?.close());

  /** A pending interview of `interviewer` in a slot of its own (a day apart, so proposals never collide). */
  async function pending(): Promise<{ id: number; start: number }> {
    const start = BASE + 24 * H + slot++ * 24 * H;
    const res = await t.post('/api/v1/interviews', {
      token: interviewer.token,
      body: { interview: { interviewee_id: interviewee.id, start_at: iso(start), end_at: iso(start + 30 * 60_000), kind: 'video_call' } },
    });
    if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${res.text}`);
    return { id: res.body.interview.id, start };
  }

  const proposal = (start: number) => ({ amend_start_at: iso(start + 2 * H), amend_end_at: iso(start + 2 * H + 30 * 60_000) });

  /** Runs `act` and checks that none of the core tables changed. */
  async function unchanged<T>(act: () => Promise<T>): Promise<T> {
    const before = await t.snapshot();
    const result = await act();
    expect(await t.snapshot()).toBe(before);
    return result;
  }

  const EXTRA: [string, (ids: { other: number }) => unknown][] = [
    ['status', () => 'completed'],
    ['version', () => 99],
    ['amended_by', () => 'interviewee'],
    ['interviewer_id', ({ other }) => other],
  ];

  describe('extra properties on action bodies → 400 naming the property, nothing changes', () => {
    it.each(EXTRA)('amend with interview.%s (user API and driver API), then the same body without it is 200', async (prop, value) => {
      const { id, start } = await pending();
      const v = value({ other: otherInterviewer.id });
      for (const [url, token] of [
        [`/api/v1/interviews/${id}/amend`, interviewer.token],
        [`/api/v1/users/interviews/${id}/amend`, interviewee.driver.token],
      ] as const) {
        expectField(await unchanged(() => t.post(url, { token, body: { interview: { ...proposal(start), [prop]: v } } })), `interview.${prop}`);
        expectField(await unchanged(() => t.post(url, { token, body: { interview: proposal(start), [prop]: v } })), prop);
      }
      const ok = await t.post(`/api/v1/interviews/${id}/amend`, { token: interviewer.token, body: { interview: proposal(start) } });
      expect(ok.status).toBe(200);
      expect(ok.body.interview).toMatchObject({ status: 'amended', amended_by: 'interviewer', version: 2, interviewer_id: interviewer.id });
    });

    it.each(EXTRA)('accept with %s (top level or inside "interview"), then an empty accept is 200', async (prop, value) => {
      const { id } = await pending();
      const v = value({ other: otherInterviewer.id });
      for (const url of [`/api/v1/interviews/${id}/accept`, `/api/v1/users/interviews/${id}/accept`]) {
        const token = interviewee.driver.token;
        expectField(await unchanged(() => t.post(url, { token, body: { [prop]: v } })), prop);
        // accept takes no body: the wrapper is as foreign as what it wraps
        expectField(await unchanged(() => t.post(url, { token, body: { interview: { [prop]: v } } })), new RegExp(`^interview(\\.${prop})?$`));
      }
      const ok = await t.post(`/api/v1/interviews/${id}/accept`, { token: interviewee.driver.token });
      expect(ok.status).toBe(200);
      expect(ok.body.interview).toMatchObject({ status: 'scheduled', version: 2, interviewer_id: interviewer.id });
    });

    it.each(EXTRA)('cancel with interview.%s, then the same body without it is 200', async (prop, value) => {
      const { id } = await pending();
      const v = value({ other: otherInterviewer.id });
      const url = `/api/v1/interviews/${id}/cancel`;
      expectField(await unchanged(() => t.post(url, { token: interviewer.token, body: { interview: { reason: 'moved', [prop]: v } } })), `interview.${prop}`);
      expectField(await unchanged(() => t.post(url, { token: interviewer.token, body: { interview: { reason: 'moved' }, [prop]: v } })), prop);
      const ok = await t.post(url, { token: interviewer.token, body: { interview: { reason: 'moved' } } });
      expect(ok.status).toBe(200);
      expect(ok.body.interview).toMatchObject({ status: 'cancelled', version: 2 });
    });

    it('checks input before state: an extra property on an action the caller may not take now is still the 400', async () => {
      const { id } = await pending();
      // the interviewer may not accept a pending interview (403), but the body is looked at first
      expectField(await unchanged(() => t.post(`/api/v1/interviews/${id}/accept`, { token: interviewer.token, body: { status: 'scheduled' } })), 'status');
    });
  });

  describe('create', () => {
    const body = (start: number, extra: Record<string, unknown> = {}) => ({
      interview: { interviewee_id: interviewee.id, start_at: iso(start), end_at: iso(start + 30 * 60_000), kind: 'video_call', ...extra },
    });

    it('an interviewer naming another interviewer in interviewer_id → 403 forbidden, nothing changes', async () => {
      const start = BASE + 24 * H + slot++ * 24 * H;
      const res = await unchanged(() => t.post('/api/v1/interviews', { token: interviewer.token, body: body(start, { interviewer_id: otherInterviewer.id }) }));
      expectError(res, 403, 'forbidden');
      // naming themself is fine
      const ok = await t.post('/api/v1/interviews', { token: interviewer.token, body: body(start, { interviewer_id: interviewer.id }) });
      expect(ok.status).toBe(201);
      expect(ok.body.interview.interviewer_id).toBe(interviewer.id);
    });

    it.each([
      ['status', 'completed'],
      ['version', 7],
      ['id', 1],
      ['amended_by', 'interviewer'],
      ['created_at', '2020-01-01T00:00:00Z'],
      ['allowed_actions', ['complete']],
    ])('refuses interview.%s on create with 400 naming it', async (prop, value) => {
      const start = BASE + 24 * H + slot++ * 24 * H;
      expectField(await unchanged(() => t.post('/api/v1/interviews', { token: interviewer.token, body: body(start, { [prop]: value }) })), `interview.${prop}`);
    });
  });

  describe('sign-in', () => {
    it.each([
      ['user.role', { user: { role: 'admin' } }],
      ['user.id', { user: { id: 1 } }],
      ['role', { role: 'admin' }],
    ])('refuses %s with 400 naming it, and issues no token', async (field, extra) => {
      const { user: extraUser, ...topLevel } = extra as { user?: Record<string, unknown> };
      const res = await unchanged(() =>
        t.post('/api/v1/auth/sign_in', { body: { user: { email: interviewer.email, password: 'a-test-password', ...extraUser }, ...topLevel } }),
      );
      expectField(res, field);
      expect(res.headers.authorization).toBeUndefined();
      expect(res.text).not.toMatch(/"token"/);
    });
  });

  describe('PUT /interview/:id (public API) and PUT /api/v1/interviews/:id/config', () => {
    it.each([
      ['status', 'completed'],
      ['version', 99],
      ['id', 1],
    ])('refuses %s with 400 naming it, in each envelope, and changes nothing', async (prop, value) => {
      const { id } = await pending();
      const pub = await unchanged(() => t.put(`/interview/${id}`, { headers: { 'x-api-key': key }, body: { interview_language: 'fr', [prop]: value } }));
      expectPublicError(pub, 400, new RegExp(`^${prop} `));
      const user = await unchanged(() => t.put(`/api/v1/interviews/${id}/config`, { token: interviewer.token, body: { interview_language: 'fr', [prop]: value } }));
      expectField(user, prop);
      // the control: the body without it
      expect((await t.put(`/interview/${id}`, { headers: { 'x-api-key': key }, body: { interview_language: 'fr' } })).status).toBe(200);
    });
  });

  describe('page sizes (OWASP API4)', () => {
    it('refuses per_page=101 on both interview lists, and takes 100', async () => {
      for (const [url, token] of [
        ['/api/v1/interviews', interviewer.token],
        ['/api/v1/users/interviews', interviewee.driver.token],
      ] as const) {
        expectField(await unchanged(() => t.get(`${url}?per_page=101`, { token })), 'per_page');
        expectField(await t.get(`${url}?per_page=1000000`, { token }), 'per_page');
        expect((await t.get(`${url}?per_page=100`, { token })).status).toBe(200);
      }
    });

    it('refuses limit=101 on the public GET /interviews, and takes 100', async () => {
      expectPublicError(await t.get('/interviews?limit=101', { headers: { 'x-api-key': key } }), 400, /^limit /);
      expect((await t.get('/interviews?limit=100', { headers: { 'x-api-key': key } })).status).toBe(200);
    });

    it('refuses limit=501 on the event feed, and takes 500', async () => {
      expectField(await t.get('/api/v1/events?limit=501', { token: await t.admin() }), 'limit');
      expectField(await t.get('/api/v1/events?limit=501', { headers: { 'x-api-key': key } }), 'limit');
      expect((await t.get('/api/v1/events?limit=500', { headers: { 'x-api-key': key } })).status).toBe(200);
    });
  });

  describe('body size and shape (OWASP API4)', () => {
    it('refuses a body over 100 kB with 413 payload_too_large, in each envelope, and changes nothing', async () => {
      const { id, start } = await pending();
      const pad = 'x'.repeat(110 * 1024);
      expectError(
        await unchanged(() => t.post(`/api/v1/interviews/${id}/amend`, { token: interviewer.token, body: { interview: { ...proposal(start), note: pad } } })),
        413,
        'payload_too_large',
      );
      expectError(await unchanged(() => t.post('/api/v1/auth/sign_in', { body: { user: { email: interviewer.email, password: pad } } })), 413, 'payload_too_large');
      expectPublicError(await unchanged(() => t.put(`/interview/${id}`, { headers: { 'x-api-key': key }, body: { coding_exercise_details: pad } })), 413);
    });

    it('refuses JSON nested 1,000 levels deep inside the interview object with 400, not 500, and changes nothing', async () => {
      const { id, start } = await pending();
      const { amend_start_at, amend_end_at } = proposal(start);
      const raw = `{"interview":{"amend_start_at":"${amend_start_at}","amend_end_at":"${amend_end_at}","a":${nestedObject(1000)}}}`;
      expect(raw.length).toBeLessThan(100 * 1024);
      expectError(await unchanged(() => t.post(`/api/v1/interviews/${id}/amend`, { token: interviewer.token, raw })), 400, ['validation_failed', 'malformed_json']);

      const created = `{"interview":{"interviewee_id":${interviewee.id},"start_at":"${amend_start_at}","end_at":"${amend_end_at}","kind":"video_call","config":${nestedObject(1000)}}}`;
      expectError(await unchanged(() => t.post('/api/v1/interviews', { token: interviewer.token, raw: created })), 400, ['validation_failed', 'malformed_json']);

      expectPublicError(await unchanged(() => t.put(`/interview/${id}`, { headers: { 'x-api-key': key }, raw: `{"skills":[${nestedObject(1000)}]}` })), 400);
    });

    it('refuses the deepest nesting that fits under 100 kB (arrays and objects) with 400, not 500', async () => {
      const { id } = await pending();
      for (const deep of [nestedArray(45_000), nestedObject(15_000)]) {
        expect(deep.length).toBeLessThan(100 * 1024);
        const res = await unchanged(() => t.post(`/api/v1/interviews/${id}/amend`, { token: interviewer.token, raw: `{"interview":{"a":${deep}}}` }));
        expectError(res, 400, ['validation_failed', 'malformed_json']);
        expectPublicError(await unchanged(() => t.put(`/interview/${id}`, { headers: { 'x-api-key': key }, raw: `{"skills":${deep}}` })), 400);
      }
      // the service is still answering
      expect((await t.get(`/api/v1/interviews/${id}`, { token: interviewer.token })).status).toBe(200);
    });

    it.each([
      ['an empty array', '[]'],
      ['an array holding a valid body', null],
      ['a string', '"hello"'],
      ['a number', '42'],
      ['true', 'true'],
    ])('refuses %s as the whole body with 400, on actions with and without a body, and changes nothing', async (_, given) => {
      const { id, start } = await pending();
      const raw = given ?? JSON.stringify([{ interview: proposal(start) }]);
      for (const action of ['amend', 'accept', 'cancel']) {
        const token = action === 'accept' ? interviewee.driver.token : interviewer.token;
        expectError(await unchanged(() => t.post(`/api/v1/interviews/${id}/${action}`, { token, raw })), 400, ['validation_failed', 'malformed_json']);
      }
      expectError(await unchanged(() => t.post('/api/v1/auth/sign_in', { raw })), 400, ['validation_failed', 'malformed_json']);
      expectPublicError(await unchanged(() => t.put(`/interview/${id}`, { headers: { 'x-api-key': key }, raw })), 400);
      expect((await t.get(`/api/v1/interviews/${id}`, { token: interviewer.token })).body.interview).toMatchObject({ status: 'pending', version: 1 });
    });

    it('refuses an extra property on admin bodies too (no role or id smuggled into a user or a key)', async () => {
      const admin = await t.admin();
      const email = `mass-${randomUUID()}@test.example`;
      expectField(
        await unchanged(() =>
          t.post('/api/v1/admin/users', { token: admin, body: { user: { email, password: 'a-long-password', role: 'driver', title: 'T', id: 1 } } }),
        ),
        'user.id',
      );
      const keys = await t.get('/api/v1/admin/api_keys', { token: admin });
      const res = await t.post('/api/v1/admin/api_keys', { token: admin, body: { api_key: { name: 'smuggled', key: 'ik_00000000_chosen', revoked_at: null } } });
      expectField(res, /^api_key\.(key|revoked_at)$/);
      expect((await t.get('/api/v1/admin/api_keys', { token: admin })).body.api_keys).toHaveLength(keys.body.api_keys.length);
    });
  });
});
