import { createHmac, randomUUID } from 'node:crypto';
import { Response, TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** API.md Part 1, "Authentication" and "Administration". */

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** A JWT signed by hand, so the tests do not trust the service's own signer. */
function signJwt(
  claims: Record<string, unknown>,
  options: { secret?: string; alg?: 'HS256' | 'HS512' | 'none'; header?: Record<string, unknown> } = {},
): string {
  const alg = options.alg ?? 'HS256';
  const head = b64url(JSON.stringify(options.header ?? { alg, typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  if (alg === 'none') return `${head}.${body}.`;
  const hash = alg === 'HS512' ? 'sha512' : 'sha256';
  const signature = createHmac(hash, options.secret ?? process.env.JWT_SECRET!).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [head, body] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(head, 'base64url').toString()),
    claims: JSON.parse(Buffer.from(body, 'base64url').toString()),
  };
}

function claimsFor(userId: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: String(userId), scp: 'user', aud: null, iat: now, exp: now + 3600, jti: randomUUID(), ...overrides };
}

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STACK_OR_SQL = /(\bat \S+ \(|\bat \/|SELECT\b|INSERT\b|QueryFailedError|node_modules|\.ts:\d+)/;

function expectError(res: Response, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.text).not.toMatch(STACK_OR_SQL);
}

describe('identity (sign-in, tokens, administration)', () => {
  let t: TestApp;
  let interviewer: { id: number; token: string; email: string };
  let driver: { id: number; token: string; email: string };
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    admin = await t.admin();
    interviewer = await t.user('interviewer');
    driver = await t.user('driver');
  });
  afterAll(() => t.close());

  /** Runs `act` and checks that no table changed. */
  async function unchanged<T>(act: () => Promise<T>): Promise<T> {
    const before = await t.snapshot();
    const result = await act();
    expect(await t.snapshot()).toBe(before);
    return result;
  }

  describe('POST /api/v1/auth/sign_in', () => {
    it('answers 200 with token, token_type, expires_at and the user, and the token in the Authorization header', async () => {
      const res = await t.post('/api/v1/auth/sign_in', { body: { user: { email: interviewer.email, password: 'a-test-password' } } });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Object.keys(res.body)).toEqual(['token', 'token_type', 'expires_at', 'user']);
      expect(res.body.token_type).toBe('Bearer');
      expect(res.body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(res.headers.authorization).toBe(`Bearer ${res.body.token}`);
      expect(res.body.expires_at).toMatch(ISO_MS);
      expect(res.body.user).toMatchObject({ id: interviewer.id, email: interviewer.email, role: 'interviewer' });
      expect(res.text).not.toMatch(/password|scrypt/i);
    });

    it('issues an HS256 JWT with sub (string), scp "user", iat, exp and jti, expiring at expires_at', async () => {
      const res = await t.post('/api/v1/auth/sign_in', { body: { user: { email: driver.email, password: 'a-test-password' } } });
      expect(res.status).toBe(200);
      const { header, claims } = decode(res.body.token);
      expect(header.alg).toBe('HS256');
      expect(claims.sub).toBe(String(driver.id));
      expect(claims.scp).toBe('user');
      expect(claims.iat).toEqual(expect.any(Number));
      expect(claims.exp).toEqual(expect.any(Number));
      expect(claims.exp as number).toBeGreaterThan(claims.iat as number);
      expect(claims.jti).toMatch(UUID);
      expect(new Date((claims.exp as number) * 1000).toISOString()).toBe(res.body.expires_at);
      // the signature is HMAC-SHA256 under JWT_SECRET
      const [head, body, signature] = res.body.token.split('.');
      expect(createHmac('sha256', process.env.JWT_SECRET!).update(`${head}.${body}`).digest('base64url')).toBe(signature);
    });

    it('gives every sign-in its own jti', async () => {
      const a = await t.signIn(driver.email, 'a-test-password');
      const b = await t.signIn(driver.email, 'a-test-password');
      expect(decode(a).claims.jti).not.toBe(decode(b).claims.jti);
    });

    it('answers a wrong password and an unknown email with the same 401 unauthenticated body', async () => {
      const wrongPassword = await unchanged(() =>
        t.post('/api/v1/auth/sign_in', { body: { user: { email: interviewer.email, password: 'not-the-password' } } }),
      );
      const unknownEmail = await unchanged(() =>
        t.post('/api/v1/auth/sign_in', { body: { user: { email: `nobody-${randomUUID()}@test.example`, password: 'a-test-password' } } }),
      );
      expectError(wrongPassword, 401, 'unauthenticated');
      expectError(unknownEmail, 401, 'unauthenticated');
      expect(unknownEmail.text).toBe(wrongPassword.text);
      expect(wrongPassword.headers.authorization).toBeUndefined();
      expect(unknownEmail.headers.authorization).toBeUndefined();
    });

    it('answers a sign-in body without credentials with 400 validation_failed', async () => {
      const res = await unchanged(() => t.post('/api/v1/auth/sign_in', { body: { email: interviewer.email, password: 'a-test-password' } }));
      expectError(res, 400, 'validation_failed');
    });
  });

  describe('GET /api/v1/me', () => {
    it('answers the signed-in user, without password or hash', async () => {
      const res = await t.get('/api/v1/me', { token: interviewer.token });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: interviewer.id, email: interviewer.email, role: 'interviewer' });
      expect(res.text).not.toMatch(/password|scrypt/i);
    });

    it('honours a token signed by hand with JWT_SECRET (the control for the refusals below)', async () => {
      const res = await t.get('/api/v1/me', { token: signJwt(claimsFor(driver.id)) });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(driver.id);
    });
  });

  describe('refused tokens (401 unauthenticated, nothing changes)', () => {
    const refused = async (headers: Record<string, string>) => {
      const res = await unchanged(() => t.get('/api/v1/me', { headers }));
      expectError(res, 401, 'unauthenticated');
      return res;
    };
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    it('refuses a request without an Authorization header', async () => {
      await refused({});
    });

    it('refuses an Authorization header of another scheme or an empty bearer', async () => {
      await refused({ authorization: `Basic ${Buffer.from(`${interviewer.email}:a-test-password`).toString('base64')}` });
      await refused({ authorization: 'Bearer ' });
      await refused({ authorization: 'Bearer not.a.jwt' });
    });

    it('refuses an alg "none" token', async () => {
      await refused(bearer(signJwt(claimsFor(interviewer.id), { alg: 'none' })));
      await refused(bearer(signJwt(claimsFor(interviewer.id), { alg: 'none', header: { alg: 'none' } })));
    });

    it('refuses an alg "none" header carrying a valid HS256 signature', async () => {
      const [, body, signature] = signJwt(claimsFor(interviewer.id)).split('.');
      await refused(bearer(`${b64url(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${body}.${signature}`));
    });

    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refused(bearer(signJwt(claimsFor(interviewer.id, { iat: now - 7200, exp: now - 60 }))));
    });

    it('refuses a token signed with another secret', async () => {
      await refused(bearer(signJwt(claimsFor(interviewer.id), { secret: 'another-secret-another-secret-0123456789' })));
    });

    it('refuses an HS512 token even when signed with the right secret', async () => {
      await refused(bearer(signJwt(claimsFor(interviewer.id), { alg: 'HS512' })));
    });

    it('refuses a token whose payload was tampered with', async () => {
      const [head, , signature] = interviewer.token.split('.');
      const { claims } = decode(interviewer.token);
      const adminId = (await t.get('/api/v1/me', { token: admin })).body.user.id;
      const forged = b64url(JSON.stringify({ ...claims, sub: String(adminId) }));
      await refused(bearer(`${head}.${forged}.${signature}`));
      // a payload with an extended expiry is refused just the same
      const later = b64url(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 }));
      await refused(bearer(`${head}.${later}.${signature}`));
    });

    it('refuses a well-signed token for a user that does not exist', async () => {
      await refused(bearer(signJwt(claimsFor(987654321))));
    });

    it('refuses a token after DELETE /api/v1/auth/sign_out (204), while another token of the same user still works', async () => {
      const user = await t.user('interviewer');
      const other = await t.signIn(user.email, 'a-test-password');
      expect((await t.get('/api/v1/me', { token: user.token })).status).toBe(200);

      const out = await t.delete('/api/v1/auth/sign_out', { token: user.token });
      expect(out.status).toBe(204);
      expect(out.text).toBe('');

      await refused(bearer(user.token));
      expectError(await unchanged(() => t.delete('/api/v1/auth/sign_out', { token: user.token })), 401, 'unauthenticated');
      expectError(
        await unchanged(() => t.post('/api/v1/interviews', { token: user.token, body: { interview: {} } })),
        401,
        'unauthenticated',
      );
      expect((await t.get('/api/v1/me', { token: other })).status).toBe(200);
    });

    it('answers sign_out without a token with 401', async () => {
      expectError(await unchanged(() => t.delete('/api/v1/auth/sign_out')), 401, 'unauthenticated');
    });
  });

  describe('POST /api/v1/admin/users', () => {
    const newUser = (fields: Record<string, unknown> = {}) => ({
      user: { email: `new-${randomUUID()}@test.example`, password: 'a-long-password', role: 'interviewer', title: 'Jacob Bogisich', ...fields },
    });

    it('answers 201 with the user and never the password or its hash', async () => {
      const body = newUser({ phone_number: '07554 311340', image: 'https://img.example/j.png' });
      const res = await t.post('/api/v1/admin/users', { token: admin, body });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['user']);
      expect(res.body.user).toMatchObject({
        id: expect.any(Number),
        email: body.user.email,
        role: 'interviewer',
        title: 'Jacob Bogisich',
        phone_number: '07554 311340',
        contact_phone_number: null,
        image: 'https://img.example/j.png',
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
      });
      for (const key of Object.keys(res.body.user)) expect(key).not.toMatch(/password|hash/i);
      expect(res.text).not.toContain('a-long-password');
      expect(res.text).not.toMatch(/scrypt/i);
      // the new user can sign in with the password given
      expect((await t.get('/api/v1/me', { token: await t.signIn(body.user.email, 'a-long-password') })).body.user.id).toBe(res.body.user.id);
    });

    it('refuses an email already taken, whatever its case, with 400 on user.email', async () => {
      const body = newUser();
      expect((await t.post('/api/v1/admin/users', { token: admin, body })).status).toBe(201);
      const res = await unchanged(() =>
        t.post('/api/v1/admin/users', { token: admin, body: newUser({ email: body.user.email.toUpperCase() }) }),
      );
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toContainEqual({ field: 'user.email', message: expect.any(String) });
    });

    it('answers 403 forbidden to an interviewer and a driver', async () => {
      for (const token of [interviewer.token, driver.token]) {
        const res = await unchanged(() => t.post('/api/v1/admin/users', { token, body: newUser({ role: 'admin' }) }));
        expectError(res, 403, 'forbidden');
      }
    });

    it('answers 401 without a token', async () => {
      expectError(await unchanged(() => t.post('/api/v1/admin/users', { body: newUser() })), 401, 'unauthenticated');
    });

    it('refuses an unknown property with 400 naming it (no mass assignment)', async () => {
      const res = await unchanged(() => t.post('/api/v1/admin/users', { token: admin, body: newUser({ is_admin: true }) }));
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toContainEqual({ field: 'user.is_admin', message: expect.any(String) });
    });

    it('refuses an unknown top-level property with 400 naming it', async () => {
      const res = await unchanged(() => t.post('/api/v1/admin/users', { token: admin, body: { ...newUser(), role: 'admin' } }));
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toContainEqual({ field: 'role', message: expect.any(String) });
    });

    it.each([
      ['an unknown role', { role: 'superuser' }, 'user.role'],
      ['a malformed email', { email: 'not-an-email' }, 'user.email'],
      ['a short password', { password: 'short' }, 'user.password'],
      ['an empty title', { title: '' }, 'user.title'],
    ])('refuses %s with 400 on the field', async (_, fields, field) => {
      const res = await unchanged(() => t.post('/api/v1/admin/users', { token: admin, body: newUser(fields) }));
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toContainEqual({ field, message: expect.any(String) });
    });
  });

  describe('POST /api/v1/admin/interviewees', () => {
    it('answers 201 with the interviewee shape, key for key', async () => {
      const d = await t.user('driver', { title: 'Howard Schiller', phone_number: '07554 311340' });
      const res = await t.post('/api/v1/admin/interviewees', { token: admin, body: { interviewee: { driver_id: d.id, kind: 'interview' } } });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body)).toEqual(['interviewee']);
      expect(Object.keys(res.body.interviewee)).toEqual(['id', 'driver', 'kind', 'updated_at']);
      expect(Object.keys(res.body.interviewee.driver)).toEqual(['id', 'image', 'phone_number', 'title']);
      expect(res.body.interviewee).toEqual({
        id: expect.any(Number),
        driver: { id: d.id, image: null, phone_number: '07554 311340', title: 'Howard Schiller' },
        kind: 'interview',
        updated_at: expect.stringMatching(ISO_MS),
      });
    });

    it('refuses a driver_id that is not a driver with 400 on interviewee.driver_id', async () => {
      for (const driverId of [interviewer.id, 987654321]) {
        const res = await unchanged(() =>
          t.post('/api/v1/admin/interviewees', { token: admin, body: { interviewee: { driver_id: driverId, kind: 'verified' } } }),
        );
        expectError(res, 400, 'validation_failed');
        expect(res.body.error.details).toContainEqual({ field: 'interviewee.driver_id', message: expect.any(String) });
      }
    });

    it('refuses an unknown kind, a string driver_id and an unknown property with 400', async () => {
      for (const [interviewee, field] of [
        [{ driver_id: driver.id, kind: 'hired' }, 'interviewee.kind'],
        [{ driver_id: String(driver.id), kind: 'verified' }, 'interviewee.driver_id'],
        [{ driver_id: driver.id, kind: 'verified', id: 5 }, 'interviewee.id'],
      ] as const) {
        const res = await unchanged(() => t.post('/api/v1/admin/interviewees', { token: admin, body: { interviewee } }));
        expectError(res, 400, 'validation_failed');
        expect(res.body.error.details).toContainEqual({ field, message: expect.any(String) });
      }
    });

    it('answers 403 forbidden to an interviewer and a driver', async () => {
      for (const token of [interviewer.token, driver.token]) {
        const res = await unchanged(() =>
          t.post('/api/v1/admin/interviewees', { token, body: { interviewee: { driver_id: driver.id, kind: 'verified' } } }),
        );
        expectError(res, 403, 'forbidden');
      }
    });
  });
});
