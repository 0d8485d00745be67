import './support/fast-webhooks';
import { EventRelay, verifyWebhook } from '#events';
import { TestApp, WebhookReceiver } from '#testing';
import { AppModule } from '../apps/api/src/app.module';
import { waitFor } from './support/processes';

/** Signed webhooks through the relay, to a real HTTP receiver on 127.0.0.1. */
describe('webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let url: string;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    await t.app.get(EventRelay).start();
  });
  afterAll(async () => {
    await t.close();
  });
  beforeEach(async () => {
    receiver = new WebhookReceiver();
    url = await receiver.start();
  });
  afterEach(() => receiver.stop());

  async function subscribe(events: string[] = ['*']) {
    const res = await t.post('/api/v1/admin/webhooks', { token: await t.admin(), body: { webhook: { url, events } } });
    expect(res.status).toBe(201);
    expect(res.body.webhook.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    return res.body.webhook as { id: number; secret: string };
  }

  it('delivers every event of a lifecycle, signed, in order, with the event id as webhook-id', async () => {
    const hook = await subscribe();
    const { interview, interviewer, driver } = await t.scenario();
    const start = new Date(Date.parse(interview.start_at) + 3600_000);
    const end = new Date(start.getTime() + 1800_000);
    await t.post(`/api/v1/interviews/${interview.id}/amend`, {
      token: interviewer.token,
      body: { interview: { amend_start_at: start.toISOString(), amend_end_at: end.toISOString() } },
    });
    await t.post(`/api/v1/users/interviews/${interview.id}/accept`, { token: driver.token });
    await t.put(`/api/v1/interviews/${interview.id}/config`, { token: interviewer.token, body: { interview_language: 'de' } });
    await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token, body: { interview: { reason: 'moved' } } });

    const events = (await t.get(`/api/v1/interviews/${interview.id}/events`, { token: interviewer.token })).body.events;
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'interview.created', 'interview.amended', 'interview.amendment_accepted', 'interview.config_updated', 'interview.cancelled',
    ]);
    await receiver.waitFor(() => events.every((e: { id: number }) => receiver.ids().includes(e.id)));

    const mine = receiver.received.filter((r) => r.json.data.interview_id === interview.id);
    expect(mine.map((r) => r.json.data.id)).toEqual(events.map((e: { id: number }) => e.id));
    for (const [i, hookCall] of mine.entries()) {
      expect(hookCall.json).toEqual({ type: events[i].type, timestamp: events[i].occurred_at, data: events[i] });
      expect(hookCall.headers['webhook-id']).toBe(String(events[i].id));
      const ts = hookCall.headers['webhook-timestamp'] as string;
      expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
      const signature = hookCall.headers['webhook-signature'] as string;
      expect(signature).toMatch(/^v1,/);
      expect(verifyWebhook(hook.secret, String(events[i].id), ts, hookCall.body, signature)).toBe(true);
      const tampered = hookCall.body.replace(/"data"/, '"dat\u0061 "');
      expect(verifyWebhook(hook.secret, String(events[i].id), ts, tampered, signature)).toBe(false);
      const oneByte = Buffer.from(hookCall.body);
      oneByte[oneByte.length - 2] ^= 1;
      expect(verifyWebhook(hook.secret, String(events[i].id), ts, oneByte.toString('utf8'), signature)).toBe(false);
    }

    // The relay marks a delivery delivered once the receiver's answer is back: a moment after the
    // receiver has the request, so the last one may still be on its way.
    const delivered = async () =>
      (await t.get(`/api/v1/admin/webhooks/${hook.id}/deliveries`, { token: await t.admin() })).body.deliveries.filter(
        (d: { status: string }) => d.status === 'delivered',
      ).length;
    await waitFor(async () => (await delivered()) >= 5, 5_000, 'five deliveries marked delivered');
  });

  it('sends only the subscribed event types', async () => {
    await subscribe(['interview.cancelled']);
    const { interview, interviewer } = await t.scenario();
    await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token });
    await receiver.waitFor(() => receiver.received.some((r) => r.json.data.interview_id === interview.id));
    await t.app.get(EventRelay).drain();
    expect(receiver.received.filter((r) => r.json.data.interview_id === interview.id).map((r) => r.json.type)).toEqual(['interview.cancelled']);
  });

  it('retries a failing receiver (500, then timeouts, then 2xx) on the backoff schedule', async () => {
    const hook = await subscribe(['interview.cancelled']);
    receiver.respond = (_, i) => (i === 0 ? 500 : i < 3 ? 'hang' : 204);
    const { interview, interviewer } = await t.scenario();
    await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token });
    await receiver.waitFor(() => receiver.received.length >= 4, 20000);
    await t.app.get(EventRelay).drain();

    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1); // the same event, the same webhook-id on every attempt
    const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i].at);
    // timeouts last 300 ms; the waits between attempts grow (30 s × 2^(n-1), scaled)
    expect(gaps[1]).toBeGreaterThanOrEqual(300);
    const [delivery] = (await t.get(`/api/v1/admin/webhooks/${hook.id}/deliveries`, { token: await t.admin() })).body.deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, last_status_code: 204 });
  });

  it('disables the subscription when the receiver answers 410', async () => {
    const hook = await subscribe(['interview.cancelled']);
    receiver.respond = () => 410;
    const { interview, interviewer } = await t.scenario();
    await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token });
    await receiver.waitFor(() => receiver.received.length >= 1);
    await t.app.get(EventRelay).drain();
    const res = await t.get(`/api/v1/admin/webhooks/${hook.id}`, { token: await t.admin() });
    expect(res.body.webhook).toMatchObject({ active: false, state: 'disabled' });
  });

  it('marks the subscription failing when a delivery outlives the retry window', async () => {
    const hook = await subscribe(['interview.cancelled']);
    receiver.respond = () => 503;
    const { interview, interviewer } = await t.scenario();
    await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token });
    const admin = await t.admin();
    const deadline = Date.now() + 30000;
    let state = 'healthy';
    while (state !== 'failing' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      state = (await t.get(`/api/v1/admin/webhooks/${hook.id}`, { token: admin })).body.webhook.state;
    }
    expect(state).toBe('failing');
    const [delivery] = (await t.get(`/api/v1/admin/webhooks/${hook.id}/deliveries`, { token: admin })).body.deliveries;
    expect(delivery.status).toBe('failed');
    expect(delivery.attempts).toBeGreaterThan(5);

    receiver.respond = () => 200;
    const redelivered = await t.post(`/api/v1/admin/webhooks/${hook.id}/deliveries/${delivery.id}/redeliver`, { token: admin });
    expect(redelivered.status).toBe(202);
    const count = receiver.received.length;
    await receiver.waitFor(() => receiver.received.length > count);
  });

  it('refuses targets on private addresses unless allowed, and subscriptions from non-admins', async () => {
    const driver = await t.user('driver');
    const res = await t.post('/api/v1/admin/webhooks', { token: driver.token, body: { webhook: { url } } });
    expect(res.status).toBe(403);
    const bad = await t.post('/api/v1/admin/webhooks', { token: await t.admin(), body: { webhook: { url: 'ftp://x' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('webhook.url');
  });
});
