import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DIST, freePort, stopProcess, waitFor } from './support/processes';

/**
 * Issue 15, item 6: `docker compose up` ran production (the Dockerfile sets NODE_ENV=production)
 * with the compose file's default JWT_SECRET, which passed the length check; a token signed with
 * it got admin. Now a production start refuses placeholder, published and short secrets with one
 * line naming the variable, before it touches the database; a random secret starts.
 */
const API = join(DIST, 'apps', 'api', 'src', 'main.js');
const WORKER = join(DIST, 'apps', 'worker', 'src', 'main.js');

/** The compose file's default before this fix: published, 50 characters, and it passed. */
const OLD_COMPOSE_SECRET = 'development-only-jwt-secret-do-not-use-in-production';

interface Run {
  code: number | null;
  stderr: string;
}

function run(script: string, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Run> {
  const child = spawn(process.execPath, [script], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    }),
  );
}

function production(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'production',
    PORT: '0',
    ADMIN_EMAIL: 'prod-admin@test.example',
    ADMIN_PASSWORD: randomBytes(18).toString('base64'),
    JWT_SECRET: randomBytes(48).toString('base64'),
    RELAY: 'off',
    ...extra,
  };
}

function expectRefused(result: Run, variable: string): void {
  expect(result.code).not.toBe(0);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^start-up failed: Invalid configuration: .*\\b${variable}: `));
  expect(lines[0]).not.toMatch(/\bat \S+ \(|undefined/);
}

function hs256(claims: Record<string, unknown>, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

describe('production refuses placeholder and published secrets', () => {
  it.each([
    ['the old docker-compose default', OLD_COMPOSE_SECRET],
    ['the development fallback', 'development-only-secret-change-me-0123456789'],
    ['a change-me placeholder', 'change-me-change-me-change-me-change-me-42'],
    ['a word with "secret" in it', 'my-super-secret-jwt-signing-key-for-prod'],
    ['the tests\' secret', 'test-secret-test-secret-test-secret-0123'],
    ['one character repeated', 'x'.repeat(64)],
    ['a short one', 'k3Jd9_short'],
  ])('JWT_SECRET = %s: exits non-zero with one line naming JWT_SECRET', async (_, secret) => {
    expectRefused(await run(API, production({ JWT_SECRET: secret })), 'JWT_SECRET');
  });

  it.each([
    ['the old docker-compose default', 'change-me-please'],
    ['the README example', 'change-me-now'],
    ['a word with "password" in it', 'admin-password-2024'],
    ['a short one', 'Zq7!kP2'],
  ])('ADMIN_PASSWORD = %s: exits non-zero with one line naming ADMIN_PASSWORD', async (_, password) => {
    expectRefused(await run(API, production({ ADMIN_PASSWORD: password })), 'ADMIN_PASSWORD');
  });

  it('refuses the worker the same way', async () => {
    expectRefused(await run(WORKER, production({ JWT_SECRET: OLD_COMPOSE_SECRET })).then((r) => ({ ...r, stderr: r.stderr.replace(/^worker /, '') })), 'JWT_SECRET');
  });

  it('starts with random secrets, and a token signed with the old compose default is refused', async () => {
    const port = await freePort();
    const env = production({ PORT: String(port) });
    const child = spawn(process.execPath, [API], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, stdio: 'ignore' });
    try {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200, 30_000, 'ready');
      const signIn = await fetch(`http://127.0.0.1:${port}/api/v1/auth/sign_in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD } }),
      });
      expect(signIn.status).toBe(200);
      const admin = (await signIn.json()) as { user: { id: number } };
      const now = Math.floor(Date.now() / 1000);
      const forged = hs256({ sub: String(admin.user.id), scp: 'user', aud: null, iat: now, exp: now + 600, jti: 'forged-0001' }, OLD_COMPOSE_SECRET);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/admin/webhooks`, { headers: { authorization: `Bearer ${forged}` } });
      expect(res.status).toBe(401);
    } finally {
      await stopProcess(child);
    }
  });
});
