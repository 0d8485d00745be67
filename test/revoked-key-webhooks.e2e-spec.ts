import './support/fast-webhooks';
import { EventRelay } from '#events';
import { TestApp, WebhookReceiver } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * Issue 15, item 4: a subscription is a secret that must not outlive its owner. Once the API key
 * that made it is revoked, its receiver gets nothing more, not even the deliveries already queued;
 * the admin JSON says which key owns each subscription, and the micro1 JSON keeps its shape.
 */
describe('webhooks of a revoked API key', () => {
  let t: TestApp;
  let admin: string;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    admin = await t.admin();
    await t.app.get(EventRelay).start();
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await t.close();
  });

  async function receiver(): Promise<[WebhookReceiver, string]> {
    const r = new WebhookReceiver();
    receivers.push(r);
    return [r, await r.start()];
  }

  async function apiKey(name: string): Promise<{ id: number; key: string }> {
    const res = await t.post('/api/v1/admin/api_keys', { token: admin, body: { api_key: { name } } });
    expect(res.status).toBe(201);
    return { id: res.body.api_key.id, key: res.body.api_key.key };
  }

  it('delivers nothing after revocation, and the admin JSON names the owner', async () => {
    const [revokedReceiver, revokedUrl] = await receiver();
    const [controlReceiver, controlUrl] = await receiver();
    const key = await apiKey('to be revoked');
    const created = await t.post('/webhook', { headers: { 'x-api-key': key.key }, body: { url: revokedUrl } });
    expect(created.status).toBe(200);
    const hookId = created.body.data.id;
    const control = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url: controlUrl } } });
    expect(control.status).toBe(201);

    // Works while the key lives.
    const first = await t.scenario();
    await revokedReceiver.waitFor(() => revokedReceiver.received.some((r) => r.json.data.interview_id === first.interview.id));

    // Queue a delivery, revoke at once, then make more events.
    const queued = await t.scenario();
    expect((await t.delete(`/api/v1/admin/api_keys/${key.id}`, { token: admin })).status).toBe(204);
    const countAtRevocation = revokedReceiver.received.length;
    const later = [await t.scenario(), await t.scenario()];
    for (const s of later) await t.post(`/api/v1/interviews/${s.interview.id}/cancel`, { token: s.interviewer.token, body: { interview: { reason: 'x' } } });

    // The control subscription got every later event: the relay ran past them.
    const laterIds = new Set(later.map((s) => s.interview.id));
    await controlReceiver.waitFor(() => controlReceiver.received.filter((r) => laterIds.has(r.json.data.interview_id)).length === 4);
    await new Promise((r) => setTimeout(r, 300));
    const afterRevocation = revokedReceiver.received.slice(countAtRevocation);
    expect(afterRevocation.filter((r) => r.json.data.interview_id !== queued.interview.id)).toEqual([]);
    expect(revokedReceiver.received.filter((r) => laterIds.has(r.json.data.interview_id))).toHaveLength(0);

    const shown = await t.get(`/api/v1/admin/webhooks/${hookId}`, { token: admin });
    expect(shown.body.webhook).toMatchObject({ id: hookId, owner_api_key_id: key.id, active: false, state: 'disabled' });
    const list = await t.get('/api/v1/admin/webhooks', { token: admin });
    const ours = list.body.webhooks.find((w: { id: number }) => w.id === control.body.webhook.id);
    expect(ours.owner_api_key_id).toBeNull();
  });

  it('refuses to re-activate a subscription whose key is revoked', async () => {
    const [, url] = await receiver();
    const key = await apiKey('revoked then re-activated');
    const hookId = (await t.post('/webhook', { headers: { 'x-api-key': key.key }, body: { url } })).body.data.id;
    await t.delete(`/api/v1/admin/api_keys/${key.id}`, { token: admin });
    const res = await t.request('PATCH', `/api/v1/admin/webhooks/${hookId}`, { token: admin, body: { webhook: { active: true } } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'webhook.active', message: expect.stringMatching(/revoked/) }]);
    expect((await t.get(`/api/v1/admin/webhooks/${hookId}`, { token: admin })).body.webhook.active).toBe(false);
  });

  it("keeps micro1's webhook JSON as it was: no owner field", async () => {
    const [, url] = await receiver();
    const key = await apiKey('micro1 shape');
    const created = await t.post('/webhook', { headers: { 'x-api-key': key.key }, body: { url } });
    expect(Object.keys(created.body.data).sort()).toEqual(['active', 'created_at', 'events', 'id', 'secret', 'state', 'updated_at', 'url']);
    const list = await t.get('/webhooks', { headers: { 'x-api-key': key.key } });
    expect(Object.keys(list.body.data[0]).sort()).toEqual(['active', 'created_at', 'events', 'id', 'state', 'updated_at', 'url']);
  });
});
