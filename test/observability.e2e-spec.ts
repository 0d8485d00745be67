import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApp } from '#testing';

// The log level is read once, when the app's config module is loaded, and the destination when the
// app starts: both are set before the app's modules are loaded, hence require() rather than import.
const LOG_FILE = join(tmpdir(), `observability-e2e-${process.pid}-${Date.now()}.log`);
process.env.LOG_FILE = LOG_FILE;
process.env.LOG_LEVEL = 'info';
/* eslint-disable @typescript-eslint/no-require-imports */
const { TestApp: App } = require('#testing') as typeof import('#testing');
const { AppModule } = require('../apps/api/src/app.module') as typeof import('../apps/api/src/app.module');
/* eslint-enable @typescript-eslint/no-require-imports */
const MAX_CURSOR_SERIES = 20; // database-metrics.ts

interface LogLine {
  msg?: string;
  requestId?: string;
  route?: string | null;
  responseTime?: number;
  principal?: { type: string; id: string; role?: string };
  req?: { id?: string; method?: string; url?: string; headers?: Record<string, string> };
  res?: { statusCode?: number };
}

function logLines(): LogLine[] {
  if (!existsSync(LOG_FILE)) return [];
  return readFileSync(LOG_FILE, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogLine);
}

/** The value of the one sample of `name` whose labels include all of `labels`. */
function sample(metrics: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of metrics.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const given = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => given[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('observability: GET /metrics and request logs', () => {
  let t: TestApp;
  let scenario: Awaited<ReturnType<TestApp['scenario']>>;
  let webhookId: number;
  let metrics: string;
  const API_KEY = 'obs-not-a-real-api-key-0123456789';
  const CURSOR = 'observability-e2e';

  beforeAll(async () => {
    t = await App.start(AppModule);
    scenario = await t.scenario();
    const hook = await t.post('/api/v1/admin/webhooks', {
      token: await t.admin(),
      body: { webhook: { url: 'http://127.0.0.1:9/observability', events: ['*'] } },
    });
    expect(hook.status).toBe(201);
    webhookId = hook.body.webhook.id;

    const proposal = new Date(scenario.start.getTime() + 2 * 3600_000);
    const amend = await t.post(`/api/v1/interviews/${scenario.interview.id}/amend`, {
      token: scenario.interviewer.token,
      headers: { 'x-request-id': 'obs-test-123' },
      body: { interview: { amend_start_at: proposal.toISOString(), amend_end_at: new Date(proposal.getTime() + 30 * 60_000).toISOString() } },
    });
    expect(amend.status).toBe(200);
    expect(amend.headers['x-request-id']).toBe('obs-test-123');

    // A command that fails with a domain error, a route that does not exist, a rejected API key.
    const missing = await t.post('/api/v1/interviews/999999999/amend', {
      token: scenario.interviewer.token,
      body: { interview: { amend_start_at: proposal.toISOString(), amend_end_at: new Date(proposal.getTime() + 30 * 60_000).toISOString() } },
    });
    expect(missing.status).toBe(404);
    expect((await t.get('/no/such/route/42')).status).toBe(404);
    expect((await t.get('/interviews', { headers: { 'x-api-key': API_KEY } })).status).toBe(401);

    const res = await t.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    metrics = res.text;
  });

  afterAll(async () => {
    if (webhookId) await t.dataSource.query(`DELETE FROM webhooks WHERE id = $1`, [webhookId]);
    await t.dataSource.query(`DELETE FROM event_cursors WHERE subscriber = $1`, [CURSOR]);
    await t.close();
    rmSync(LOG_FILE, { force: true });
  });

  it('is public: no token needed', async () => {
    expect((await t.get('/metrics')).status).toBe(200);
  });

  it('times HTTP requests by method, route pattern (never the raw URL) and status', () => {
    expect(metrics).toContain('# TYPE http_request_duration_seconds histogram');
    expect(metrics).toMatch(/^http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/interviews\/:id\/amend"[^}]*\} \d+$/m);
    const amend = { method: 'POST', route: '/api/v1/interviews/:id/amend' };
    expect(sample(metrics, 'http_request_duration_seconds_count', { ...amend, status_code: '200' })).toBe(1);
    expect(sample(metrics, 'http_request_duration_seconds_count', { ...amend, status_code: '404' })).toBe(1);
    expect(sample(metrics, 'http_request_duration_seconds_count', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(metrics).not.toContain(`/api/v1/interviews/${scenario.interview.id}/amend`);
    expect(metrics).not.toContain('/no/such/route');
  });

  it('times commands by name and outcome', () => {
    expect(metrics).toContain('# TYPE command_duration_seconds histogram');
    expect(sample(metrics, 'command_duration_seconds_count', { command: 'AmendInterviewCommand', outcome: 'success' })).toBe(1);
    expect(sample(metrics, 'command_duration_seconds_count', { command: 'AmendInterviewCommand', outcome: 'not_found' })).toBe(1);
    expect(sample(metrics, 'command_duration_seconds_count', { command: 'CreateInterviewCommand', outcome: 'success' })).toBe(1);
  });

  it('shows the database pool', () => {
    const total = sample(metrics, 'db_pool_connections', { state: 'total' });
    const idle = sample(metrics, 'db_pool_connections', { state: 'idle' });
    const waiting = sample(metrics, 'db_pool_connections', { state: 'waiting' });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(idle).toBeGreaterThanOrEqual(0);
    expect(idle).toBeLessThanOrEqual(total!);
    expect(waiting).toBeGreaterThanOrEqual(0);
  });

  it('shows the relay\'s lag behind the newest event: one series for all webhooks, one per other cursor', async () => {
    // The webhook subscriptions are one series, the largest lag among the live ones.
    expect(sample(metrics, 'event_relay_lag', { subscriber: 'webhooks' })).toBeGreaterThanOrEqual(0);
    expect(metrics).not.toMatch(/subscriber="webhook:/);
    // Another subscriber's cursor (as the broker's): nobody moves this one, so its lag is the newest id.
    const newest = async () => Number((await t.dataSource.query(`SELECT coalesce(max(id), 0)::text AS id FROM interview_events`))[0].id);
    await t.dataSource.query(`INSERT INTO event_cursors (subscriber, position) VALUES ($1, 0) ON CONFLICT (subscriber) DO UPDATE SET position = 0`, [CURSOR]);
    const before = await newest();
    const text = (await t.get('/metrics')).text;
    const after = await newest();
    const lag = sample(text, 'event_relay_lag', { subscriber: CURSOR });
    expect(before).toBeGreaterThanOrEqual(2);
    expect(lag).toBeGreaterThanOrEqual(before);
    expect(lag).toBeLessThanOrEqual(after);
    // A subscription that has taken nothing yet makes the webhooks series at least its lag.
    await t.dataSource.query(`UPDATE webhooks SET position = 0 WHERE id = $1`, [webhookId]);
    expect(sample((await t.get('/metrics')).text, 'event_relay_lag', { subscriber: 'webhooks' })).toBeGreaterThanOrEqual(before);
  });

  /** Issue 15, item 9: subscriptions are made by callers, so no label may take one value per subscription. */
  it('keeps the number of series fixed however many subscriptions and cursors there are', async () => {
    const relaySeries = (text: string) => text.split('\n').filter((line) => /^(event_relay_lag|webhook_subscriptions)\{/.test(line)).length;
    const first = (await t.get('/metrics')).text;
    const hooks: number[] = await t.dataSource.query(
      // Live and caught up (a relay elsewhere has nothing to send them); removed at once below.
      `INSERT INTO webhooks (url, events, secret, position)
       SELECT 'http://127.0.0.1:9/many/' || i, '{*}', 'whsec_x', (SELECT coalesce(max(id), 0) FROM interview_events) FROM generate_series(1, 50) i
       RETURNING id`,
    ).then((rows: { id: string }[]) => rows.map((r) => Number(r.id)));
    await t.dataSource.query(`INSERT INTO event_cursors (subscriber, position) SELECT 'observability-many-' || i, 0 FROM generate_series(1, 50) i`);
    try {
      const second = (await t.get('/metrics')).text;
      // 50 subscriptions add no series; 50 cursors add at most MAX_CURSOR_SERIES.
      expect(relaySeries(second) - relaySeries(first)).toBeLessThanOrEqual(MAX_CURSOR_SERIES);
      expect(relaySeries(second)).toBeLessThanOrEqual(1 + MAX_CURSOR_SERIES + 4);
      expect(second).not.toMatch(/subscriber="webhook:/);
      expect(sample(second, 'webhook_subscriptions', { state: 'healthy' })).toBeGreaterThanOrEqual(50);
    } finally {
      await t.dataSource.query(`DELETE FROM webhooks WHERE id = ANY($1::bigint[])`, [hooks]);
      await t.dataSource.query(`DELETE FROM event_cursors WHERE subscriber LIKE 'observability-many-%'`);
    }
  });

  it('has the default process metrics', () => {
    expect(metrics).toMatch(/^process_cpu_seconds_total \d/m);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('logs one JSON line per request with its id, route, status, duration and principal', () => {
    const lines = logLines().filter((l) => l.requestId === 'obs-test-123' && l.msg === 'request completed');
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line.req?.id).toBe('obs-test-123');
    expect(line.route).toBe('/api/v1/interviews/:id/amend');
    expect(line.res?.statusCode).toBe(200);
    expect(typeof line.responseTime).toBe('number');
    expect(line.principal).toEqual({ type: 'user', id: String(scenario.interviewer.id), role: 'interviewer' });
    expect(line.req?.headers?.authorization).toBe('[redacted]');
  });

  it('logs no credential: tokens, API keys', async () => {
    const text = readFileSync(LOG_FILE, 'utf8');
    for (const token of [scenario.interviewer.token, scenario.driver.token, await t.admin()]) {
      expect(text).not.toContain(token);
    }
    expect(text).not.toContain(API_KEY);
    expect(text).not.toMatch(/Bearer /);
    const rejected = logLines().find((l) => l.msg === 'request completed' && l.route === '/interviews' && l.res?.statusCode === 401);
    expect(rejected?.req?.headers?.['x-api-key']).toBe('[redacted]');
    expect(rejected?.principal).toBeUndefined();
  });

  it('censors a cookie in the request line and keeps the other headers as sent', async () => {
    const res = await t.get('/api/v1/interviews', {
      token: scenario.interviewer.token,
      headers: { cookie: 'session=not-for-logs', 'x-request-id': 'obs-cookie-1', 'accept-language': 'fr' },
    });
    expect(res.status).toBe(200);
    let line: LogLine | undefined;
    for (let i = 0; i < 50 && !line; i++) {
      line = logLines().find((l) => l.requestId === 'obs-cookie-1' && l.msg === 'request completed');
      if (!line) await new Promise((r) => setTimeout(r, 20));
    }
    expect(line?.req?.headers).toMatchObject({ cookie: '[redacted]', authorization: '[redacted]', 'accept-language': 'fr' });
    expect(readFileSync(LOG_FILE, 'utf8')).not.toContain('not-for-logs');
  });

  it('keeps a registry per app: a second instance in the same process counts on its own', async () => {
    const other = await App.start(AppModule);
    try {
      const res = await other.get('/metrics');
      expect(res.status).toBe(200);
      expect(res.text).toContain('process_cpu_seconds_total');
      expect(res.text).not.toContain('command="AmendInterviewCommand"');
      expect(sample((await t.get('/metrics')).text, 'command_duration_seconds_count', { command: 'AmendInterviewCommand', outcome: 'success' })).toBe(1);
    } finally {
      await other.close();
    }
  });
});
