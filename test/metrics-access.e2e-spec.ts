import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DIST, freePort, stopProcess, waitFor } from './support/processes';

/**
 * Issue 15, item 9: /metrics was open in production. Now, with METRICS_TOKEN set, it asks for
 * `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time, 401 otherwise); in production
 * without it, it is a 404. Run against the built API started with NODE_ENV=production.
 */
const API = join(DIST, 'apps', 'api', 'src', 'main.js');

/** The run's environment (its database) in production, without the tests' admin (its password is published). */
function production(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', NODE_ENV: 'production', JWT_SECRET: randomBytes(48).toString('base64'), RELAY: 'off', ...extra };
  delete env.ADMIN_EMAIL;
  delete env.ADMIN_PASSWORD;
  return env;
}

async function start(extra: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [API], { env: production({ PORT: String(port), ...extra }), stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health/live`)).status === 200, 30_000, 'live');
  return { child, url };
}

describe('GET /metrics in production', () => {
  describe('without METRICS_TOKEN', () => {
    let app: { child: ChildProcess; url: string };
    beforeAll(async () => (app = await start({ METRICS_TOKEN: '' })));
    afterAll(() => stopProcess(app?.child));

    it('answers 404 not_found, whatever the credential', async () => {
      for (const headers of [{}, { authorization: 'Bearer anything-at-all-anything-at-all' }] as Record<string, string>[]) {
        const res = await fetch(`${app.url}/metrics`, { headers });
        expect(res.status).toBe(404);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe('not_found');
      }
    });
  });

  describe('with METRICS_TOKEN', () => {
    const token = randomBytes(32).toString('base64url');
    let app: { child: ChildProcess; url: string };
    beforeAll(async () => (app = await start({ METRICS_TOKEN: token })));
    afterAll(() => stopProcess(app?.child));

    it.each([
      ['no Authorization', undefined],
      ['another token of the same length', `Bearer ${randomBytes(32).toString('base64url')}`],
      ['a prefix of the token', `Bearer ${token.slice(0, -1)}`],
      ['the token and more', `Bearer ${token}x`],
      ['the token without the scheme', token],
      ['the token as Basic', `Basic ${token}`],
    ])('refuses %s with 401 and WWW-Authenticate', async (_, authorization) => {
      const res = await fetch(`${app.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const body = (await res.json()) as { error: { code: string } };
      expect(body.error.code).toBe('unauthenticated');
      expect(JSON.stringify(body)).not.toContain(token);
    });

    it('serves the metrics to Authorization: Bearer <METRICS_TOKEN>', async () => {
      for (const scheme of ['Bearer', 'bearer']) {
        const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `${scheme} ${token}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(res.headers.get('cache-control')).toBe('no-store');
        expect(await res.text()).toMatch(/^process_cpu_seconds_total \d/m);
      }
    });
  });

  it('refuses to start with a placeholder METRICS_TOKEN, naming it', async () => {
    const child = spawn(process.execPath, [API], { env: production({ PORT: '0', METRICS_TOKEN: 'change-me-change-me-change-me-change-me' }), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/Invalid configuration: .*METRICS_TOKEN: /);
  });
});
