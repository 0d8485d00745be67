import { createHmac, createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { Response, TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * OWASP API2 (broken authentication): forged, confused, stale and misplaced credentials.
 * API.md Part 1 "Authentication": HS256 only, `exp` enforced, a signed-out `jti` refused; Part 2:
 * the `x-api-key` header only, every bad key the same 401 `{"status":false,"message":"Invalid API key"}`.
 *
 * Every forged token is aimed both at a read (GET /api/v1/me) and at a change its subject could
 * make with a good token (cancelling their own pending interview), and the change must not happen.
 */

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const json = (value: unknown) => b64url(JSON.stringify(value));

/** A JWT put together by hand: the tests trust nothing of the service's own signer. */
function hs256(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }, secret: string | Buffer = process.env.JWT_SECRET!): string {
  const signingInput = `${json(header)}.${json(claims)}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

function claimsFor(userId: number | string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: String(userId), scp: 'user', aud: null, iat: now, exp: now + 3600, jti: randomUUID(), ...overrides };
}

function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown>; signature: string } {
  const [head, body, signature] = token.split('.');
  return { header: JSON.parse(Buffer.from(head, 'base64url').toString()), claims: JSON.parse(Buffer.from(body, 'base64url').toString()), signature };
}

const STACK_OR_SQL = /(\bat \S+ \(|\bat \/|SELECT\b|INSERT\b|QueryFailedError|node_modules|\.ts:\d+)/;
const INVALID_KEY = { status: false, message: 'Invalid API key' };

function expectUnauthenticated(res: Response) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 401, code: 'unauthenticated' });
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.text).not.toMatch(STACK_OR_SQL);
}

describe('token abuse (OWASP API2)', () => {
  let t: TestApp;
  /** An interviewer with a pending interview of their own, which a good token of theirs may cancel. */
  let victim: { id: number; token: string; email: string };
  let interviewId: number;
  let adminId: number;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    const s = await t.scenario();
    victim = s.interviewer;
    interviewId = s.interview.id;
    adminId = (await t.get('/api/v1/me', { token: await t.admin() })).body.user.id;
  });
  afterAll(() => t?.close());

  /** The request is refused with 401 unauthenticated, and no table changes. */
  async function refusedEverywhere(headers: Record<string, string>, query = '') {
    const before = await t.snapshot();
    expectUnauthenticated(await t.get(`/api/v1/me${query}`, { headers }));
    expectUnauthenticated(await t.post(`/api/v1/interviews/${interviewId}/cancel${query}`, { headers, body: { interview: { reason: 'forged' } } }));
    expect(await t.snapshot()).toBe(before);
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  describe('the control: a well-formed token signed by hand with JWT_SECRET', () => {
    it('is honoured (so every refusal below is about the one thing each test breaks)', async () => {
      const res = await t.get('/api/v1/me', { token: hs256(claimsFor(victim.id)) });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(victim.id);
    });
  });

  describe('forged and confused tokens → 401 unauthenticated', () => {
    it('refuses alg "none" (no signature, and whatever the case of "none")', async () => {
      for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
        await refusedEverywhere(bearer(`${json({ alg, typ: 'JWT' })}.${json(claimsFor(victim.id))}.`));
      }
    });

    it('refuses alg "none" carrying a valid HS256 signature', async () => {
      const [, body, signature] = hs256(claimsFor(victim.id)).split('.');
      await refusedEverywhere(bearer(`${json({ alg: 'none', typ: 'JWT' })}.${body}.${signature}`));
    });

    it('refuses HS/RS confusion: a header saying RS256 over an HMAC-SHA256 signature made with JWT_SECRET', async () => {
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id), { alg: 'RS256', typ: 'JWT' })));
    });

    describe('with a key pair made here', () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const rs256 = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }) => {
        const signingInput = `${json(header)}.${json(claims)}`;
        return `${signingInput}.${createSign('RSA-SHA256').update(signingInput).sign(privateKey).toString('base64url')}`;
      };

      it('refuses a token signed with RS256 by a private key the service never saw', async () => {
        await refusedEverywhere(bearer(rs256(claimsFor(victim.id))));
      });

      it('refuses an RS256 token that embeds its own public key in the header (jwk injection)', async () => {
        const jwk = publicKey.export({ format: 'jwk' });
        await refusedEverywhere(bearer(rs256(claimsFor(victim.id), { alg: 'RS256', typ: 'JWT', jwk })));
      });

      it('refuses HS256 signed with the public key as the HMAC secret (the classic confusion)', async () => {
        const pem = publicKey.export({ format: 'pem', type: 'spki' }) as string;
        await refusedEverywhere(bearer(hs256(claimsFor(victim.id), { alg: 'HS256', typ: 'JWT' }, pem)));
      });
    });

    it('refuses HS384 and HS512 even when signed with JWT_SECRET', async () => {
      for (const [alg, hash] of [['HS384', 'sha384'], ['HS512', 'sha512']] as const) {
        const signingInput = `${json({ alg, typ: 'JWT' })}.${json(claimsFor(victim.id))}`;
        const signature = createHmac(hash, process.env.JWT_SECRET!).update(signingInput).digest('base64url');
        await refusedEverywhere(bearer(`${signingInput}.${signature}`));
      }
    });

    it('refuses a token signed with another secret', async () => {
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id), undefined, 'another-secret-another-secret-0123456789')));
    });

    it('refuses a tampered payload under the original signature (another sub, a later exp, an added role)', async () => {
      const token = await t.signIn(victim.email, 'a-test-password');
      const [head, , signature] = token.split('.');
      const { claims } = decode(token);
      for (const forged of [
        { ...claims, sub: String(adminId) },
        { ...claims, exp: (claims.exp as number) + 365 * 24 * 3600 },
        { ...claims, role: 'admin' },
      ]) {
        await refusedEverywhere(bearer(`${head}.${json(forged)}.${signature}`));
      }
      // and the untampered token still works
      expect((await t.get('/api/v1/me', { token })).status).toBe(200);
    });

    it('refuses a tampered signature and a token cut short', async () => {
      const token = hs256(claimsFor(victim.id));
      const [head, body, signature] = token.split('.');
      const flipped = signature.slice(0, 10) + (signature[10] === 'A' ? 'B' : 'A') + signature.slice(11);
      await refusedEverywhere(bearer(`${head}.${body}.${flipped}`));
      await refusedEverywhere(bearer(`${head}.${body}`));
      await refusedEverywhere(bearer(`${head}.${body}.`));
    });

    it('never takes a role from the token: a driver signing role "admin" into a well-signed token is still a driver', async () => {
      const driver = await t.user('driver');
      const token = hs256(claimsFor(driver.id, { role: 'admin', scp: 'user' }));
      expect((await t.get('/api/v1/me', { token })).body.user.role).toBe('driver');
      const res = await t.get('/api/v1/admin/api_keys', { token });
      expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    });
  });

  describe('stale tokens → 401 unauthenticated', () => {
    it('refuses an expired token', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id, { iat: now - 7200, exp: now - 60 }))));
    });

    it('refuses a token without exp', async () => {
      const { exp: _, ...claims } = claimsFor(victim.id);
      await refusedEverywhere(bearer(hs256(claims)));
    });

    it('refuses a token whose nbf is in the future', async () => {
      const now = Math.floor(Date.now() / 1000);
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id, { nbf: now + 3600 }))));
    });

    it('refuses a signed-out jti (after DELETE /api/v1/auth/sign_out), also when re-signed by hand with the same jti', async () => {
      const token = await t.signIn(victim.email, 'a-test-password');
      expect((await t.get('/api/v1/me', { token })).status).toBe(200);
      const out = await t.delete('/api/v1/auth/sign_out', { token });
      expect(out.status).toBe(204);

      await refusedEverywhere(bearer(token));
      const { jti } = decode(token).claims;
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id, { jti }))));
      // the user's other tokens are untouched
      expect((await t.get('/api/v1/me', { token: victim.token })).status).toBe(200);
    });
  });

  describe('misplaced tokens → 401 unauthenticated', () => {
    it.each(['access_token', 'token'])('refuses a valid token in the query string as ?%s= with no Authorization header', async (name) => {
      const token = hs256(claimsFor(victim.id));
      await refusedEverywhere({}, `?${name}=${encodeURIComponent(token)}`);
    });

    it('refuses a valid token sent in x-api-key or as a cookie', async () => {
      const token = hs256(claimsFor(victim.id));
      await refusedEverywhere({ 'x-api-key': token });
      await refusedEverywhere({ cookie: `token=${token}; access_token=${token}; jwt=${token}` });
    });

    it('refuses a valid token under another scheme or with no scheme', async () => {
      const token = hs256(claimsFor(victim.id));
      await refusedEverywhere({ authorization: token });
      await refusedEverywhere({ authorization: `Token ${token}` });
      await refusedEverywhere({ authorization: `Basic ${token}` });
    });
  });

  describe('the user changed after the token was issued', () => {
    it('a demoted admin acts with the new role: 403 on admin routes, a driver from then on', async () => {
      const admin = await t.user('admin');
      expect((await t.get('/api/v1/admin/api_keys', { token: admin.token })).status).toBe(200);

      await t.dataSource.query(`UPDATE users SET role = 'driver' WHERE id = $1`, [admin.id]);

      const before = await t.snapshot();
      for (const [method, url, body] of [
        ['GET', '/api/v1/admin/api_keys', undefined],
        ['POST', '/api/v1/admin/api_keys', { api_key: { name: 'by a demoted admin' } }],
        ['POST', '/api/v1/admin/users', { user: { email: `x-${randomUUID()}@test.example`, password: 'a-long-password', role: 'admin', title: 'Escalated' } }],
        ['GET', '/api/v1/events', undefined],
        ['GET', `/api/v1/interviews/${interviewId}`, undefined],
      ] as const) {
        const res = await t.request(method, url, { token: admin.token, body });
        const expected = url.startsWith('/api/v1/interviews/') ? { status: 404, code: 'not_found' } : { status: 403, code: 'forbidden' };
        expect({ url, status: res.status, code: res.body?.error?.code }).toEqual({ url, ...expected });
      }
      expect(await t.snapshot()).toBe(before);
      const keys = await t.dataSource.query(`SELECT count(*)::int AS n FROM api_keys WHERE name = 'by a demoted admin'`);
      expect(keys[0].n).toBe(0);

      expect((await t.get('/api/v1/me', { token: admin.token })).body.user.role).toBe('driver');
      expect((await t.get('/api/v1/users/interviews', { token: admin.token })).status).toBe(200);
    });

    it('a deleted user is refused: 401 for the issued token and for one signed by hand', async () => {
      const user = await t.user('interviewer'); // no interviews, keys or other rows refer to it
      expect((await t.get('/api/v1/me', { token: user.token })).status).toBe(200);

      await t.dataSource.query(`DELETE FROM users WHERE id = $1`, [user.id]);

      await refusedEverywhere(bearer(user.token));
      await refusedEverywhere(bearer(hs256(claimsFor(user.id))));
    });

    it('refuses a token for a user id that never existed, and subjects that are not user ids', async () => {
      for (const sub of ['987654321', '0', '-1', '1 OR 1=1', `${victim.id}.0`, 'admin']) {
        await refusedEverywhere(bearer(hs256(claimsFor(victim.id, { sub }))));
      }
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id, { sub: victim.id }))));
      await refusedEverywhere(bearer(hs256(claimsFor(victim.id, { scp: 'admin' }))));
    });
  });

  describe('sign-in', () => {
    it('answers an unknown email and a wrong password with the same status and the identical body', async () => {
      const before = await t.snapshot();
      const wrongPassword = await t.post('/api/v1/auth/sign_in', { body: { user: { email: victim.email, password: 'not-the-password' } } });
      const unknownEmail = await t.post('/api/v1/auth/sign_in', { body: { user: { email: `nobody-${randomUUID()}@test.example`, password: 'a-test-password' } } });
      expect(await t.snapshot()).toBe(before);

      expectUnauthenticated(wrongPassword);
      expect(unknownEmail.status).toBe(wrongPassword.status);
      expect(unknownEmail.text).toBe(wrongPassword.text);
      expect(unknownEmail.headers['content-type']).toBe(wrongPassword.headers['content-type']);
      expect(wrongPassword.headers.authorization).toBeUndefined();
      expect(unknownEmail.headers.authorization).toBeUndefined();
    });
  });

  describe('API keys on the public API → 401 {"status":false,"message":"Invalid API key"}', () => {
    let key: string;

    beforeAll(async () => {
      const res = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'abuse' } } });
      expect(res.status).toBe(201);
      key = res.body.api_key.key;
    });

    /** GET and PUT /interview/:id both refuse, in the public envelope, and nothing changes. */
    async function refusedKey(headers: Record<string, string>, query = '') {
      const before = await t.snapshot();
      for (const res of [
        await t.get(`/interview/${interviewId}${query}`, { headers }),
        await t.put(`/interview/${interviewId}${query}`, { headers, body: { interview_language: 'fr' } }),
        await t.get(`/interviews${query}`, { headers }),
      ]) {
        expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: INVALID_KEY });
      }
      expect(await t.snapshot()).toBe(before);
    }

    const flip = (value: string, at: number) => value.slice(0, at) + (value[at] === 'A' ? 'B' : 'A') + value.slice(at + 1);

    it('the control: the key itself is accepted', async () => {
      expect((await t.get(`/interview/${interviewId}`, { headers: { 'x-api-key': key } })).status).toBe(200);
    });

    it('refuses a key with one character flipped (in the secret, in the prefix, the last one) or cut short or lengthened', async () => {
      const secretAt = key.lastIndexOf('_') + 5;
      for (const wrong of [flip(key, secretAt), flip(key, 4), flip(key, key.length - 1), key.slice(0, -1), `${key}A`, key.toUpperCase()]) {
        expect(wrong).not.toBe(key);
        await refusedKey({ 'x-api-key': wrong });
      }
    });

    it('refuses a revoked key', async () => {
      const spare = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'to revoke' } } });
      expect((await t.get(`/interview/${interviewId}`, { headers: { 'x-api-key': spare.body.api_key.key } })).status).toBe(200);
      expect((await t.delete(`/api/v1/admin/api_keys/${spare.body.api_key.id}`, { token: await t.admin() })).status).toBe(204);
      await refusedKey({ 'x-api-key': spare.body.api_key.key });
    });

    it.each(['api_key', 'x-api-key', 'apiKey', 'key'])('refuses the key in the query string as ?%s=', async (name) => {
      await refusedKey({}, `?${name}=${encodeURIComponent(key)}`);
    });

    it('refuses the key sent as a Bearer token, and a user token sent as a key', async () => {
      await refusedKey({ authorization: `Bearer ${key}` });
      await refusedKey({ 'x-api-key': victim.token });
      await refusedKey({ authorization: `Bearer ${victim.token}` });
    });
  });
});
