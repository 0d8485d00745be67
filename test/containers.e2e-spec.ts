import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { Environment, validateEnvironment } from '#platform';

/**
 * No Docker engine runs here, so the container files are checked for what can be checked: the
 * compose file parses, wires every variable the configuration requires in production, names no
 * variable the configuration does not know, and the Dockerfile is multi-stage, non-root and lean.
 */
const root = join(__dirname, '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: unknown;
}

describe('containers', () => {
  const compose = load(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
  const known = new Set(Object.keys(new Environment()).concat(['NODE_ENV', 'DATABASE_URL', 'JWT_SECRET', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'AMQP_URL', 'RELAY', 'METRICS_TOKEN']));

  it('has postgres, rabbitmq, api and worker, with health checks and start order', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'rabbitmq', 'worker']);
    expect(compose.services.postgres.healthcheck).toBeDefined();
    expect(compose.services.rabbitmq.healthcheck).toBeDefined();
    expect(compose.services.api.healthcheck).toBeDefined();
    expect(compose.services.api.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, rabbitmq: { condition: 'service_healthy' } });
    expect(compose.services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
  });

  /** What an operator sets for the required variables: random values. */
  const operatorSets: Record<string, string> = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    ADMIN_PASSWORD: randomBytes(18).toString('base64'),
  };

  /** ${VAR:-default} → default, as compose does with nothing set; ${VAR:?message} → what the operator set. */
  function resolve(env: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(env).map(([k, v]) => [
        k,
        String(v)
          .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
          .replace(/\$\{([A-Z_]+):\?[^}]*\}/g, (_, name: string) => operatorSets[name] ?? ''),
      ]),
    );
  }

  it.each(['api', 'worker'])('gives %s an environment the production configuration accepts, naming only known variables', (name) => {
    const env = compose.services[name].environment!;
    const resolved = resolve(env);
    for (const key of Object.keys(resolved)) expect(known).toContain(key);
    expect(resolved.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    expect(resolved.AMQP_URL).toMatch(/^amqp:\/\/.+@rabbitmq:5672/);
    expect(() => validateEnvironment({ ...resolved, NODE_ENV: 'production' })).not.toThrow();
  });

  it.each([
    ['api', ['JWT_SECRET', 'ADMIN_PASSWORD']],
    ['worker', ['JWT_SECRET']],
  ])('makes %s require its secrets (${VAR:?…}): no default anyone could read', (name, secrets) => {
    const env = compose.services[name].environment!;
    for (const secret of secrets) expect(String(env[secret])).toMatch(new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`));
    // and no other variable defaults to a secret either: required, or empty (unset) by default
    for (const [key, value] of Object.entries(env)) {
      if (/SECRET|PASSWORD|TOKEN/.test(key)) expect(String(value)).toMatch(/^\$\{[A-Z_]+(:\?[^}]+|:-)\}$/);
    }
  });

  it('refuses the old compose defaults in production, naming the variable on one line', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x@y/z', ADMIN_EMAIL: 'admin@example.com' };
    const strong = { JWT_SECRET: operatorSets.JWT_SECRET, ADMIN_PASSWORD: operatorSets.ADMIN_PASSWORD };
    expect(() => validateEnvironment({ ...base, ...strong, JWT_SECRET: 'development-only-jwt-secret-do-not-use-in-production' })).toThrow(
      /^Invalid configuration: JWT_SECRET: [^\n]+$/,
    );
    expect(() => validateEnvironment({ ...base, ...strong, ADMIN_PASSWORD: 'change-me-please' })).toThrow(/^Invalid configuration: ADMIN_PASSWORD: [^\n]+$/);
    expect(() => validateEnvironment({ ...base, ...strong })).not.toThrow();
  });

  it('refuses a production configuration without JWT_SECRET, naming it', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production', DATABASE_URL: 'postgres://x@y/z' })).toThrow(/JWT_SECRET/);
  });

  it('builds in two stages and runs production dependencies as a non-root user', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/CMD \["node", "--max-old-space-size=160", "dist\/apps\/api\/src\/main\.js"\]/);
  });
});
