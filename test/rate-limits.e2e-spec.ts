import { TIGHT_LIMIT, TIGHT_SIGN_IN_LIMIT, TIGHT_TTL_SECONDS } from './support/tight-limits';
import { randomUUID } from 'node:crypto';
import { type Response, TestApp } from '#testing';
import { validateEnvironment } from '#platform';
import { AppModule } from '../apps/api/src/app.module';

/**
 * Rate limits (THROTTLE_LIMIT per THROTTLE_TTL per caller, THROTTLE_SIGN_IN_LIMIT per email and IP),
 * here with tight limits. Each test that counts uses callers (users, keys, IPs) of its own, since the
 * counters live as long as the app.
 */
describe('rate limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t.close());

  /** A request from a given client IP (TestApp's own requests all come from 127.0.0.1). */
  async function from(ip: string, method: 'GET' | 'POST' | 'PUT', url: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await t.app.inject({
      method,
      url,
      headers,
      remoteAddress: ip,
      payload: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    let body: unknown;
    try {
      body = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, headers: res.headers as Response['headers'], body, text: res.body };
  }

  const signIn = (ip: string, email: string, password = 'a-test-password') =>
    from(ip, 'POST', '/api/v1/auth/sign_in', { body: { user: { email, password } } });

  function expectRetryAfter(res: Response): void {
    const retryAfter = res.headers['retry-after'];
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(TIGHT_TTL_SECONDS);
  }

  it('refuses the (N+1)th request of a user in the window with 429 rate_limited and Retry-After; another user is not affected', async () => {
    const alice = await t.user('interviewer');
    const bob = await t.user('interviewer');

    for (let i = 0; i < TIGHT_LIMIT; i++) {
      expect((await t.get('/api/v1/me', { token: alice.token })).status).toBe(200);
    }
    const refused = await t.get('/api/v1/me', { token: alice.token });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expectRetryAfter(refused);
    expect(refused.headers['x-request-id']).toBeDefined();

    // The budget is the caller's across routes, and refused requests keep being refused.
    expect((await t.get('/api/v1/interviews', { token: alice.token })).status).toBe(429);

    // Bob, on the same IP, has his own budget.
    const other = await t.get('/api/v1/me', { token: bob.token });
    expect(other.status).toBe(200);
    expect(other.body.user.id).toBe(bob.id);
  });

  it('answers an API key over its limit on PUT /interview/:id with 429 in the public envelope', async () => {
    const created = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: `limits ${randomUUID()}` } } });
    expect(created.status).toBe(201);
    const key = created.body.api_key.key;
    const put = () => t.put('/interview/999999999', { body: { interview_language: 'de' }, headers: { 'x-api-key': key, origin: 'https://ats.example' } });

    for (let i = 0; i < TIGHT_LIMIT; i++) expect((await put()).status).toBe(404);
    const refused = await put();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ status: false, message: expect.any(String) });
    expectRetryAfter(refused);
    expect(refused.headers['access-control-allow-origin']).toBe('https://ats.example');
  });

  it('limits sign-in per email and IP: that email from that IP is refused, another email or another IP still works', async () => {
    const victim = await t.user('driver');
    const other = await t.user('driver');
    const ip = '10.0.0.1';

    for (let i = 0; i < TIGHT_SIGN_IN_LIMIT; i++) {
      expect((await signIn(ip, victim.email.toUpperCase(), 'wrong-password')).status).toBe(401);
    }
    const refused = await signIn(ip, victim.email); // the right password, but the attempts are spent
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expectRetryAfter(refused);
    expect(refused.headers.authorization).toBeUndefined();

    expect((await signIn(ip, other.email)).status).toBe(200);
    expect((await signIn('10.0.0.2', victim.email)).status).toBe(200);
  });

  /**
   * Issue 15, item 8: the throttler counted `email.trim().toLowerCase()` while the lookup compared
   * PostgreSQL's lower(email) = lower(input). They disagree on U+0130: `İva@…` was a bucket of its
   * own and still signed in as `iva@…` once that address had its 429. Both now use one key.
   */
  it('throttles every spelling that reaches the account once the address is throttled: case, spaces, U+0130', async () => {
    const email = `iva-${randomUUID()}@test.example`;
    const password = 'a-test-password';
    const created = await t.post('/api/v1/admin/users', {
      token: await t.admin(),
      body: { user: { email, password, role: 'driver', title: 'Iva Test' } },
    });
    expect(created.status).toBe(201);
    const dotted = `\u0130${email.slice(1)}`; // İva-…
    const spellings = [email.toUpperCase(), `  ${email}\t`, ` ${email.replace(/^i/, 'I')} `];

    // The controls, from IPs of their own: İ is not the account (it was, through lower()), the
    // case and space variants are.
    expect((await signIn('10.0.1.2', dotted, password)).status).toBe(401);
    for (const spelling of spellings) expect((await signIn('10.0.1.1', spelling, password)).status).toBe(200);

    const ip = '10.0.1.3';
    for (let i = 0; i < TIGHT_SIGN_IN_LIMIT; i++) expect((await signIn(ip, email, 'wrong-password')).status).toBe(401);
    for (const spelling of spellings) {
      const refused = await signIn(ip, spelling, password);
      expect(refused.status).toBe(429);
      expect(refused.headers.authorization).toBeUndefined();
    }
    // Never a token for the throttled account under another spelling.
    const other = await signIn(ip, dotted, password);
    expect(other.status).not.toBe(200);
    expect(other.headers.authorization).toBeUndefined();
  });

  it('limits anonymous requests per IP across emails', async () => {
    const ip = '10.0.0.3';
    for (let i = 0; i < TIGHT_LIMIT; i++) {
      expect((await signIn(ip, `nobody-${randomUUID()}@test.example`)).status).toBe(401);
    }
    const refused = await signIn(ip, `nobody-${randomUUID()}@test.example`);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    expectRetryAfter(refused);
    // Another IP is not affected.
    expect((await signIn('10.0.0.4', `nobody-${randomUUID()}@test.example`)).status).toBe(401);
  });

  it('never limits the health probes or the docs', async () => {
    const ip = '10.0.0.5';
    for (let i = 0; i < TIGHT_LIMIT * 2; i++) {
      expect((await from(ip, 'GET', '/health/live')).status).toBe(200);
      expect((await from(ip, 'GET', '/docs-json')).status).toBe(200);
    }
    // Nor did they use up that IP's budget.
    expect((await signIn(ip, `nobody-${randomUUID()}@test.example`)).status).toBe(401);
  });
});

describe('rate-limit configuration', () => {
  it('defaults to 600 requests per 60 seconds and 10 sign-ins', () => {
    const env = validateEnvironment({});
    expect(env.THROTTLE_LIMIT).toBe(600);
    expect(env.THROTTLE_TTL).toBe(60);
    expect(env.THROTTLE_SIGN_IN_LIMIT).toBe(10);
  });

  it('reads the variables as numbers', () => {
    const env = validateEnvironment({ THROTTLE_LIMIT: '100', THROTTLE_TTL: '30', THROTTLE_SIGN_IN_LIMIT: '5' });
    expect(env).toMatchObject({ THROTTLE_LIMIT: 100, THROTTLE_TTL: 30, THROTTLE_SIGN_IN_LIMIT: 5 });
  });

  it.each(['abc', '0', '-5', '1.5', ''])('stops start-up on THROTTLE_LIMIT=%j, naming the variable', (value) => {
    expect(() => validateEnvironment({ THROTTLE_LIMIT: value })).toThrow(/THROTTLE_LIMIT/);
  });

  it.each([
    ['THROTTLE_TTL', 'soon'],
    ['THROTTLE_SIGN_IN_LIMIT', '0'],
  ])('stops start-up on %s=%j, naming the variable', (name, value) => {
    expect(() => validateEnvironment({ [name]: value })).toThrow(new RegExp(name));
  });
});
