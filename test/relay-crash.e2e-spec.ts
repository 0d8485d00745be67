import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AmqpProbe, TestApp, WebhookReceiver } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * At least once, through a crash: the worker is killed with SIGKILL in the middle of a burst of
 * 1,000 events and started again; every event reaches the webhook receiver (and the queue, when
 * AMQP_URL is set), none is missing, and a repeat carries the same webhook-id / messageId.
 */
const WORKER = join(__dirname, '..', 'dist', 'apps', 'worker', 'src', 'main.js');
const BURST = 1000;
const INTERVIEWS = 10;

describe('event relay crash', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let probe: AmqpProbe | undefined;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run npm run build first (npm test does)`);
    t = await TestApp.start(AppModule);
    receiver = new WebhookReceiver();
    const url = await receiver.start();
    const hook = await t.post('/api/v1/admin/webhooks', { token: await t.admin(), body: { webhook: { url, events: ['*'] } } });
    expect(hook.status).toBe(201);
    if (AmqpProbe.url) {
      probe = new AmqpProbe();
      await probe.start();
    } else {
      console.warn('relay crash test: AMQP_URL is not set, the broker half is SKIPPED');
    }
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await receiver.stop();
    await probe?.stop();
    await t.close();
  });

  function startWorker(): ChildProcess {
    return spawn(process.execPath, [WORKER], {
      env: { ...process.env, LOG_LEVEL: 'silent', RELAY: 'off', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_TIMEOUT_MS: '1000' },
      stdio: 'ignore',
    });
  }

  it('delivers every one of 1,000 events at least once after a SIGKILL mid-burst', async () => {
    const interviews = await Promise.all(Array.from({ length: INTERVIEWS }, (_, i) => t.scenario({ inHours: 24 + i })));
    const [{ first }] = await t.dataSource.query(`SELECT coalesce(max(id), 0) + 1 AS first FROM interview_events`);
    // The burst: 1,000 events committed at once, spread over ten interviews.
    const inserted: { id: string }[] = await t.dataSource.query(
      `INSERT INTO interview_events (interview_id, type, actor, data)
       SELECT ($1::bigint[])[1 + (n % $2)], 'interview.config_updated', '{"type":"user","id":1,"role":"admin"}',
              jsonb_build_object('changed', jsonb_build_array('interview_name'), 'n', n)
         FROM generate_series(1, $3) n
       RETURNING id`,
      [interviews.map((s) => s.interview.id), INTERVIEWS, BURST],
    );
    const expected = new Set(inserted.map((r) => Number(r.id)));
    expect(expected.size).toBe(BURST);
    const mine = () => receiver.ids().filter((id) => id >= Number(first));

    worker = startWorker();
    await receiver.waitFor(() => mine().length >= 150, 30000);
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    const beforeRestart = new Set(mine());
    expect(beforeRestart.size).toBeLessThan(BURST); // the kill really landed mid-burst

    worker = startWorker();
    await receiver.waitFor(() => [...expected].every((id) => mine().includes(id)), 60000);
    if (probe) await probe.waitFor(() => [...expected].every((id) => probe!.ids().includes(id)), 60000);
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));

    const missing = [...expected].filter((id) => !mine().includes(id));
    expect(missing).toEqual([]);
    for (const hook of receiver.received) expect(hook.headers['webhook-id']).toBe(String(hook.json.data.id));
    if (probe) {
      expect([...expected].filter((id) => !probe!.ids().includes(id))).toEqual([]);
      for (const m of probe.messages) expect(JSON.parse(m.content.toString()).id).toBe(Number(m.properties.messageId));
    }
  }, 120_000);
});
