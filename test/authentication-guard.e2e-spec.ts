import type { TestApp } from '#testing';
import { TcpProxy } from './support/tcp-proxy';

/**
 * The global authentication guard (@nestjs/passport's AuthGuard over the `bearer` and `api-key`
 * strategies): @Public() routes, the route's kinds tried in its order, the 401 envelopes, and a
 * database that cannot be asked answering 503 rather than 401.
 *
 * The app reaches PostgreSQL through a TCP proxy of the test's, so the test can take the database
 * away; the modules are imported only once the proxy's address is in DATABASE_URL (the app's
 * configuration is read when its modules load).
 */
describe('authentication guard', () => {
  const proxy = new TcpProxy('127.0.0.1', Number(new URL(process.env.DATABASE_URL!).port || 5432));
  let t: TestApp;
  let user: { id: number; token: string; email: string };
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    await proxy.up();
    const direct = process.env.DATABASE_URL!;
    process.env.DATABASE_URL = proxy.urlFor(direct);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TestApp } = require('#testing') as { TestApp: typeof import('#testing').TestApp };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AuthProbeAppModule } = require('./support/auth-probe') as { AuthProbeAppModule: new () => unknown };
    t = await TestApp.start(AuthProbeAppModule);
    process.env.DATABASE_URL = direct;
    user = await t.user('interviewer');
    const res = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'guard spec' } } });
    key = res.body.api_key.key;
    keyId = String(res.body.api_key.id);
  });
  afterAll(async () => {
    await t?.close();
    await proxy.down();
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('lets a @Public() route through without credentials, and leaves request.user unset there', async () => {
    const res = await t.get('/api/v1/probe/public');
    expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: { principal: null } });
  });

  it('puts the user principal on request.user: type, id, the role from the database, jti and exp', async () => {
    const res = await t.get('/api/v1/probe/default', { headers: bearer(user.token) });
    expect(res.status).toBe(200);
    const claims = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString());
    expect(res.body.principal).toEqual({ type: 'user', id: String(user.id), role: 'interviewer', jti: claims.jti, exp: claims.exp });
  });

  it('takes only a Bearer token by default: an API key there is a 401', async () => {
    const res = await t.get('/api/v1/probe/default', { headers: { 'x-api-key': key } });
    expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: 'authentication required' } } });
  });

  it('tries the route’s kinds in its order: with both credentials the first kind listed wins', async () => {
    const both = { ...bearer(user.token), 'x-api-key': key };
    expect((await t.get('/api/v1/probe/user-then-key', { headers: both })).body.principal).toMatchObject({ type: 'user', id: String(user.id) });
    expect((await t.get('/api/v1/probe/key-then-user', { headers: both })).body.principal).toEqual({ type: 'api_key', id: keyId });
  });

  it('falls through to the next kind when the first is absent or wrong', async () => {
    const wrongBearer = { authorization: 'Bearer not-a-token', 'x-api-key': key };
    expect((await t.get('/api/v1/probe/user-then-key', { headers: wrongBearer })).body.principal).toEqual({ type: 'api_key', id: keyId });
    const wrongKey = { ...bearer(user.token), 'x-api-key': 'ik_00000000_wrong' };
    expect((await t.get('/api/v1/probe/key-then-user', { headers: wrongKey })).body.principal).toMatchObject({ type: 'user', id: String(user.id) });
  });

  it('answers wrong credentials with 401 in the user API envelope, and no WWW-Authenticate challenge', async () => {
    for (const headers of [{}, bearer('not-a-token'), { authorization: `Basic ${user.token}` }, { 'x-api-key': 'ik_00000000_wrong' }]) {
      for (const url of ['/api/v1/probe/default', '/api/v1/probe/user-then-key', '/api/v1/me']) {
        const res = await t.get(url, { headers: headers as Record<string, string> });
        expect({ url, status: res.status, body: res.body }).toEqual({ url, status: 401, body: { error: { code: 'unauthenticated', message: 'authentication required' } } });
        expect(res.headers['www-authenticate']).toBeUndefined();
      }
    }
  });

  it('answers a wrong API key on the public API with 401 {"status":false,"message":"Invalid API key"}', async () => {
    for (const headers of [{}, { 'x-api-key': 'ik_00000000_wrong' }, bearer(user.token)]) {
      const res = await t.get('/interviews', { headers: headers as Record<string, string> });
      expect({ status: res.status, body: res.body }).toEqual({ status: 401, body: { status: false, message: 'Invalid API key' } });
    }
  });

  it('answers 503, not 401, while the database cannot be asked, and serves again once it is back', async () => {
    await proxy.down();
    try {
      for (const [url, headers] of [
        ['/api/v1/probe/default', bearer(user.token)],
        ['/api/v1/probe/key-then-user', { 'x-api-key': key }],
      ] as const) {
        const res = await t.get(url, { headers: headers as Record<string, string> });
        expect({ url, status: res.status, code: res.body?.error?.code }).toEqual({ url, status: 503, code: 'service_unavailable' });
      }
      const publicApi = await t.get('/interviews', { headers: { 'x-api-key': key } });
      expect({ status: publicApi.status, body: publicApi.body }).toEqual({ status: 503, body: { status: false } });
    } finally {
      await proxy.up();
    }
    expect((await t.get('/api/v1/probe/default', { headers: bearer(user.token) })).status).toBe(200);
  });
});
