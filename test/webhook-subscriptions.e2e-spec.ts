import { TestApp } from '#testing';
import { validateEnvironment } from '#platform';
import { AppModule } from '../apps/api/src/app.module';

const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Nothing listens on port 9 (discard); no relay runs in this file, so nothing is ever sent. */
const URL_A = 'http://127.0.0.1:9/hooks/a';
const URL_B = 'http://127.0.0.1:9/hooks/b';

const BAD_URLS: [string, string][] = [
  ['an ftp URL', 'ftp://x'],
  ['a string that is not a URL', 'not a url'],
  ['a URL carrying credentials', 'http://user:pw@host'],
  ['a relative path', '/hooks'],
];

/** The webhook subscription API: admins' /api/v1/admin/webhooks and micro1's x-api-key routes. */
describe('webhook subscriptions', () => {
  let t: TestApp;
  let admin: string;
  const created: number[] = [];

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    admin = await t.admin();
  });
  afterAll(async () => {
    // Leave no subscription behind for suites that run a relay on the same database.
    if (created.length) await t.dataSource.query(`DELETE FROM webhooks WHERE id = ANY($1::bigint[])`, [created]);
    await t.close();
  });

  async function newKey(name: string): Promise<{ key: string; id: number }> {
    const res = await t.post('/api/v1/admin/api_keys', { token: admin, body: { api_key: { name } } });
    expect(res.status).toBe(201);
    return { key: res.body.api_key.key, id: res.body.api_key.id };
  }

  async function webhookCount(): Promise<number> {
    const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM webhooks`);
    return row.n;
  }

  describe('admin API: /api/v1/admin/webhooks', () => {
    const base = '/api/v1/admin/webhooks';

    async function create(webhook: Record<string, unknown> = { url: URL_A }) {
      const res = await t.post(base, { token: admin, body: { webhook } });
      expect(res.status).toBe(201);
      created.push(res.body.webhook.id);
      return res.body.webhook;
    }

    it('creates a subscription with a whsec_ secret, all events by default, active and healthy', async () => {
      const res = await t.post(base, { token: admin, body: { webhook: { url: URL_A } } });
      expect(res.status).toBe(201);
      created.push(res.body.webhook.id);
      expect(res.body).toEqual({
        webhook: {
          id: expect.any(Number),
          url: URL_A,
          events: ['*'],
          active: true,
          state: 'healthy',
          created_at: expect.stringMatching(ISO_MS),
          updated_at: expect.stringMatching(ISO_MS),
          owner_api_key_id: null,
          secret: expect.stringMatching(SECRET),
        },
      });
    });

    it('takes a list of event types and active: false at creation', async () => {
      const hook = await create({ url: URL_A, events: ['interview.created', 'interview.cancelled'], active: false });
      expect(hook).toMatchObject({ events: ['interview.created', 'interview.cancelled'], active: false, state: 'healthy' });
    });

    it('gives every subscription a secret of its own', async () => {
      const one = await create();
      const two = await create();
      expect(one.secret).not.toBe(two.secret);
    });

    it('never shows the secret again, in the list or in a single read', async () => {
      const hook = await create();
      const list = await t.get(base, { token: admin });
      expect(list.status).toBe(200);
      const listed = list.body.webhooks.find((w: { id: number }) => w.id === hook.id);
      const { secret, ...rest } = hook;
      expect(listed).toEqual(rest);
      for (const w of list.body.webhooks) expect(w).not.toHaveProperty('secret');
      expect(list.text).not.toContain(secret);

      const one = await t.get(`${base}/${hook.id}`, { token: admin });
      expect(one.status).toBe(200);
      expect(one.body).toEqual({ webhook: rest });
      expect(one.text).not.toContain(secret);
    });

    it('lists subscriptions oldest first', async () => {
      const a = await create();
      const b = await create();
      const ids = (await t.get(base, { token: admin })).body.webhooks.map((w: { id: number }) => w.id);
      expect(ids.indexOf(a.id)).toBeLessThan(ids.indexOf(b.id));
      expect(ids).toEqual([...ids].sort((x: number, y: number) => x - y));
    });

    it('changes the url, the events and active with PATCH, and reads back the change', async () => {
      const hook = await create();
      const res = await t.request('PATCH', `${base}/${hook.id}`, {
        token: admin,
        body: { webhook: { url: URL_B, events: ['interview.amended'], active: false } },
      });
      expect(res.status).toBe(200);
      expect(res.body.webhook).toMatchObject({ id: hook.id, url: URL_B, events: ['interview.amended'], active: false, state: 'healthy' });
      expect(res.body.webhook).not.toHaveProperty('secret');
      expect(Date.parse(res.body.webhook.updated_at)).toBeGreaterThanOrEqual(Date.parse(hook.updated_at));
      expect((await t.get(`${base}/${hook.id}`, { token: admin })).body.webhook).toEqual(res.body.webhook);

      // A partial PATCH changes only what it sends.
      const partial = await t.request('PATCH', `${base}/${hook.id}`, { token: admin, body: { webhook: { events: ['*'] } } });
      expect(partial.status).toBe(200);
      expect(partial.body.webhook).toMatchObject({ url: URL_B, events: ['*'], active: false });
    });

    it('resets a disabled subscription to healthy when PATCHed with active: true', async () => {
      const hook = await create();
      await t.request('PATCH', `${base}/${hook.id}`, { token: admin, body: { webhook: { active: false } } });
      await t.dataSource.query(`UPDATE webhooks SET state = 'disabled' WHERE id = $1`, [hook.id]);
      expect((await t.get(`${base}/${hook.id}`, { token: admin })).body.webhook).toMatchObject({ active: false, state: 'disabled' });

      const res = await t.request('PATCH', `${base}/${hook.id}`, { token: admin, body: { webhook: { active: true } } });
      expect(res.status).toBe(200);
      expect(res.body.webhook).toMatchObject({ active: true, state: 'healthy' });
      expect((await t.get(`${base}/${hook.id}`, { token: admin })).body.webhook).toMatchObject({ active: true, state: 'healthy' });
    });

    it('resets a failing subscription with active: true, and keeps the state on other changes', async () => {
      const hook = await create();
      await t.dataSource.query(`UPDATE webhooks SET state = 'failing' WHERE id = $1`, [hook.id]);
      const other = await t.request('PATCH', `${base}/${hook.id}`, { token: admin, body: { webhook: { url: URL_B } } });
      expect(other.status).toBe(200);
      expect(other.body.webhook).toMatchObject({ url: URL_B, state: 'failing' });
      const reset = await t.request('PATCH', `${base}/${hook.id}`, { token: admin, body: { webhook: { active: true } } });
      expect(reset.body.webhook).toMatchObject({ active: true, state: 'healthy' });
    });

    it('deletes with 204, after which the subscription is gone', async () => {
      const hook = await create();
      const res = await t.delete(`${base}/${hook.id}`, { token: admin });
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const read = await t.get(`${base}/${hook.id}`, { token: admin });
      expect(read.status).toBe(404);
      expect(read.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      expect((await t.delete(`${base}/${hook.id}`, { token: admin })).status).toBe(404);
      const ids = (await t.get(base, { token: admin })).body.webhooks.map((w: { id: number }) => w.id);
      expect(ids).not.toContain(hook.id);
    });

    it('shows no deliveries for a new subscription', async () => {
      const hook = await create();
      const res = await t.get(`${base}/${hook.id}/deliveries`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ deliveries: [] });
    });

    it('answers 404 to a redelivery of an unknown delivery', async () => {
      const hook = await create();
      const res = await t.post(`${base}/${hook.id}/deliveries/999999999/redeliver`, { token: admin });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      expect((await t.post(`${base}/999999999/deliveries/1/redeliver`, { token: admin })).status).toBe(404);
      expect((await t.post(`${base}/${hook.id}/deliveries/abc/redeliver`, { token: admin })).status).toBe(400);
    });

    it('answers 404 for an unknown subscription id on every route', async () => {
      const id = 999999999;
      for (const res of [
        await t.get(`${base}/${id}`, { token: admin }),
        await t.request('PATCH', `${base}/${id}`, { token: admin, body: { webhook: { active: false } } }),
        await t.delete(`${base}/${id}`, { token: admin }),
        await t.get(`${base}/${id}/deliveries`, { token: admin }),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
      }
    });

    it.each(['abc', '0', '-1', '1.5', '9223372036854775808'])('answers 400 for the path id %s on every route', async (id) => {
      for (const res of [
        await t.get(`${base}/${id}`, { token: admin }),
        await t.request('PATCH', `${base}/${id}`, { token: admin, body: { webhook: { active: false } } }),
        await t.delete(`${base}/${id}`, { token: admin }),
        await t.get(`${base}/${id}/deliveries`, { token: admin }),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'validation_failed' });
      }
    });

    describe('refuses bad input with 400 naming the field, and saves nothing', () => {
      async function refuses(webhook: unknown, field: string) {
        const before = await webhookCount();
        const res = await t.post(base, { token: admin, body: { webhook } });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'validation_failed' });
        expect(res.body.error.details?.[0]?.field).toBe(field);
        expect(await webhookCount()).toBe(before);
      }

      it('an unknown event type', () => refuses({ url: URL_A, events: ['interview.exploded'] }, 'webhook.events'));
      it('"*" together with an event type', () => refuses({ url: URL_A, events: ['*', 'interview.created'] }, 'webhook.events'));
      it('an empty event list', () => refuses({ url: URL_A, events: [] }, 'webhook.events'));
      it('events that are not a list', () => refuses({ url: URL_A, events: 'interview.created' }, 'webhook.events'));
      it.each(BAD_URLS)('%s as url', (_, url) => refuses({ url }, 'webhook.url'));
      it('a missing url', () => refuses({ events: ['*'] }, 'webhook.url'));
      it('a caller-chosen secret', () => refuses({ url: URL_A, secret: 'whsec_mine' }, 'webhook.secret'));
      it('a string for active', () => refuses({ url: URL_A, active: 'yes' }, 'webhook.active'));

      it('no webhook object at all', async () => {
        const res = await t.post(base, { token: admin, body: { url: URL_A } });
        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ code: 'validation_failed' });
      });

      it.each([...BAD_URLS.map(([name, url]): [string, unknown, string] => [name, { url }, 'webhook.url']),
        ['an unknown event type', { events: ['nope'] }, 'webhook.events'],
        ['"*" with an event type', { events: ['interview.created', '*'] }, 'webhook.events'],
      ])('in a PATCH: %s, leaving the subscription unchanged', async (_, webhook, field) => {
        const hook = await create();
        const res = await t.request('PATCH', `${base}/${hook.id}`, { token: admin, body: { webhook } });
        expect(res.status).toBe(400);
        expect(res.body.error.details?.[0]?.field).toBe(field);
        const { secret: _secret, ...rest } = hook;
        expect((await t.get(`${base}/${hook.id}`, { token: admin })).body.webhook).toEqual(rest);
      });
    });

    it('accepts a loopback URL in tests (WEBHOOK_ALLOW_PRIVATE=true) and an https URL', async () => {
      expect((await create({ url: 'http://localhost:9/x' })).url).toBe('http://localhost:9/x');
      expect((await create({ url: 'https://127.0.0.1:9/x' })).url).toBe('https://127.0.0.1:9/x');
    });

    it('refuses interviewers and drivers with 403 forbidden, and changes nothing', async () => {
      const hook = await create();
      const { interviewer, driver } = await t.scenario();
      const before = await webhookCount();
      for (const token of [interviewer.token, driver.token]) {
        for (const res of [
          await t.post(base, { token, body: { webhook: { url: URL_A } } }),
          await t.get(base, { token }),
          await t.get(`${base}/${hook.id}`, { token }),
          await t.request('PATCH', `${base}/${hook.id}`, { token, body: { webhook: { active: false } } }),
          await t.delete(`${base}/${hook.id}`, { token }),
          await t.get(`${base}/${hook.id}/deliveries`, { token }),
        ]) {
          expect(res.status).toBe(403);
          expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
        }
      }
      expect(await webhookCount()).toBe(before);
      expect((await t.get(`${base}/${hook.id}`, { token: admin })).body.webhook.active).toBe(true);
    });

    it('refuses callers without a Bearer token, API keys included, with 401', async () => {
      const { key } = await newKey('not an admin');
      for (const res of [
        await t.get(base),
        await t.post(base, { body: { webhook: { url: URL_A } } }),
        await t.get(base, { headers: { 'x-api-key': key } }),
        await t.post(base, { headers: { 'x-api-key': key }, body: { webhook: { url: URL_A } } }),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
      }
    });
  });

  describe('micro1-shaped routes with x-api-key', () => {
    let a: { key: string; id: number };
    let b: { key: string; id: number };

    beforeAll(async () => {
      a = await newKey('ATS A');
      b = await newKey('ATS B');
    });

    const withKey = (key: string, extra: Record<string, string> = {}) => ({ 'x-api-key': key, ...extra });

    async function createAs(key: string, body: Record<string, unknown> = { url: URL_A }) {
      const res = await t.post('/webhook', { headers: withKey(key), body });
      expect(res.status).toBe(200);
      created.push(res.body.data.id);
      return res.body.data;
    }

    async function listAs(key: string) {
      const res = await t.get('/webhooks', { headers: withKey(key) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: true, message: expect.any(String), data: expect.any(Array) });
      return res.body.data as { id: number; url: string; events: string[]; active: boolean }[];
    }

    it('creates a webhook with 200 in the public envelope, with its secret', async () => {
      const res = await t.post('/webhook', { headers: withKey(a.key), body: { url: URL_A } });
      expect(res.status).toBe(200);
      created.push(res.body.data?.id);
      expect(res.body).toEqual({
        status: true,
        message: 'Webhook created successfully',
        data: {
          id: expect.any(Number),
          url: URL_A,
          events: ['*'],
          active: true,
          state: 'healthy',
          created_at: expect.stringMatching(ISO_MS),
          updated_at: expect.stringMatching(ISO_MS),
          secret: expect.stringMatching(SECRET),
        },
      });
    });

    it('takes events and active at creation', async () => {
      const hook = await createAs(a.key, { url: URL_A, events: ['interview.cancelled'], active: false });
      expect(hook).toMatchObject({ events: ['interview.cancelled'], active: false });
    });

    it("lists only the calling key's webhooks, never another key's or an admin's, and without secrets", async () => {
      const mine = await createAs(a.key);
      const theirs = await createAs(b.key, { url: URL_B });
      const adminHook = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url: URL_A } } });
      expect(adminHook.status).toBe(201);
      created.push(adminHook.body.webhook.id);

      const listA = await listAs(a.key);
      const idsA = listA.map((w) => w.id);
      expect(idsA).toContain(mine.id);
      expect(idsA).not.toContain(theirs.id);
      expect(idsA).not.toContain(adminHook.body.webhook.id);
      for (const w of listA) expect(w).not.toHaveProperty('secret');
      const { secret, ...rest } = mine;
      expect(listA.find((w) => w.id === mine.id)).toEqual(rest);
      expect(JSON.stringify(listA)).not.toContain(secret);

      const idsB = (await listAs(b.key)).map((w) => w.id);
      expect(idsB).toContain(theirs.id);
      expect(idsB.filter((id) => idsA.includes(id))).toEqual([]);
      expect(idsB).not.toContain(adminHook.body.webhook.id);

      // The owner is recorded in the database too.
      const [row] = await t.dataSource.query(`SELECT owner_api_key_id::int AS owner FROM webhooks WHERE id = $1`, [mine.id]);
      expect(row.owner).toBe(a.id);
    });

    it('shows an empty list to a key that made none', async () => {
      const fresh = await newKey('no webhooks');
      expect(await listAs(fresh.key)).toEqual([]);
    });

    it("lets admins see and manage a key's webhooks", async () => {
      const hook = await createAs(a.key);
      const list = await t.get('/api/v1/admin/webhooks', { token: admin });
      expect(list.body.webhooks.map((w: { id: number }) => w.id)).toContain(hook.id);
      expect((await t.get(`/api/v1/admin/webhooks/${hook.id}`, { token: admin })).status).toBe(200);
    });

    it('updates a webhook with PUT', async () => {
      const hook = await createAs(a.key);
      const res = await t.put(`/webhook/${hook.id}`, {
        headers: withKey(a.key),
        body: { url: URL_B, events: ['interview.amended', 'interview.cancelled'], active: false },
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: true,
        message: expect.any(String),
        data: expect.objectContaining({ id: hook.id, url: URL_B, events: ['interview.amended', 'interview.cancelled'], active: false }),
      });
      expect(res.body.data).not.toHaveProperty('secret');
      expect((await listAs(a.key)).find((w) => w.id === hook.id)).toMatchObject({ url: URL_B, active: false });

      const partial = await t.put(`/webhook/${hook.id}`, { headers: withKey(a.key), body: { active: true } });
      expect(partial.status).toBe(200);
      expect(partial.body.data).toMatchObject({ url: URL_B, events: ['interview.amended', 'interview.cancelled'], active: true });
    });

    it("answers 404 to another key's PUT and DELETE, and leaves the webhook alone", async () => {
      const hook = await createAs(a.key);
      const put = await t.put(`/webhook/${hook.id}`, { headers: withKey(b.key), body: { url: URL_B } });
      expect(put.status).toBe(404);
      expect(put.body).toEqual({ status: false, message: expect.any(String) });
      const del = await t.delete(`/webhook/${hook.id}`, { headers: withKey(b.key) });
      expect(del.status).toBe(404);
      expect(del.body).toEqual({ status: false, message: expect.any(String) });
      expect(del.body).toEqual(put.body);

      const { secret: _secret, ...rest } = hook;
      expect((await listAs(a.key)).find((w) => w.id === hook.id)).toEqual(rest);
    });

    it("answers 404 to a key's PUT and DELETE on an admin's webhook, as for one that does not exist", async () => {
      const adminHook = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url: URL_A } } });
      created.push(adminHook.body.webhook.id);
      const id = adminHook.body.webhook.id;
      const put = await t.put(`/webhook/${id}`, { headers: withKey(a.key), body: { active: false } });
      const del = await t.delete(`/webhook/${id}`, { headers: withKey(a.key) });
      const missing = await t.delete('/webhook/999999999', { headers: withKey(a.key) });
      for (const res of [put, del, missing]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual(missing.body);
      }
      expect(missing.body).toEqual({ status: false, message: expect.any(String) });
      expect((await t.get(`/api/v1/admin/webhooks/${id}`, { token: admin })).body.webhook.active).toBe(true);
    });

    it('deletes with 200 in the public envelope, after which the webhook is gone', async () => {
      const hook = await createAs(a.key);
      const res = await t.delete(`/webhook/${hook.id}`, { headers: withKey(a.key) });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: true, message: 'Webhook deleted successfully' });
      expect((await listAs(a.key)).map((w) => w.id)).not.toContain(hook.id);
      expect((await t.get(`/api/v1/admin/webhooks/${hook.id}`, { token: admin })).status).toBe(404);
      const again = await t.delete(`/webhook/${hook.id}`, { headers: withKey(a.key) });
      expect(again.status).toBe(404);
      expect(again.body).toEqual({ status: false, message: expect.any(String) });
    });

    describe('refuses bad input with 400 naming the field, and saves nothing', () => {
      it.each([...BAD_URLS.map(([name, url]): [string, unknown] => [name, { url }]), ['a missing url', {}], ['a number as url', { url: 42 }]])(
        'POST /webhook with %s',
        async (_, body) => {
          const before = await webhookCount();
          const res = await t.post('/webhook', { headers: withKey(a.key), body });
          expect(res.status).toBe(400);
          expect(res.body).toEqual({ status: false, message: expect.stringMatching(/^url /) });
          expect(await webhookCount()).toBe(before);
        },
      );

      it.each([
        ['an unknown event type', { url: URL_A, events: ['interview.exploded'] }, /^events /],
        ['"*" with an event type', { url: URL_A, events: ['*', 'interview.created'] }, /^events /],
        ['an unknown property', { url: URL_A, owner_api_key_id: 1 }, /^owner_api_key_id /],
        ['a caller-chosen secret', { url: URL_A, secret: 'whsec_mine' }, /^secret /],
      ])('POST /webhook with %s', async (_, body, message) => {
        const before = await webhookCount();
        const res = await t.post('/webhook', { headers: withKey(a.key), body });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ status: false, message: expect.stringMatching(message) });
        expect(await webhookCount()).toBe(before);
      });

      it('PUT /webhook/:id with a bad url or events, leaving the webhook unchanged', async () => {
        const hook = await createAs(a.key);
        for (const [body, message] of [
          [{ url: 'ftp://x' }, /^url /],
          [{ url: 'http://user:pw@host' }, /^url /],
          [{ events: ['nope'] }, /^events /],
        ] as [unknown, RegExp][]) {
          const res = await t.put(`/webhook/${hook.id}`, { headers: withKey(a.key), body });
          expect(res.status).toBe(400);
          expect(res.body).toEqual({ status: false, message: expect.stringMatching(message) });
        }
        const { secret: _secret, ...rest } = hook;
        expect((await listAs(a.key)).find((w) => w.id === hook.id)).toEqual(rest);
      });

      it('a path id that is not a positive integer', async () => {
        for (const res of [
          await t.put('/webhook/abc', { headers: withKey(a.key), body: { active: false } }),
          await t.delete('/webhook/0', { headers: withKey(a.key) }),
        ]) {
          expect(res.status).toBe(400);
          expect(res.body).toEqual({ status: false, message: expect.stringMatching(/^id /) });
        }
      });
    });

    it('refuses a missing, wrong or revoked key, and a Bearer token instead of a key, with the same 401', async () => {
      const hook = await createAs(a.key);
      const spare = await newKey('spare');
      expect((await t.delete(`/api/v1/admin/api_keys/${spare.id}`, { token: admin })).status).toBe(204);
      const wrongKey = a.key.slice(0, -1) + (a.key.endsWith('A') ? 'B' : 'A');
      const credentials: { headers?: Record<string, string>; token?: string }[] = [
        {},
        { headers: withKey(wrongKey) },
        { headers: withKey(spare.key) },
        { token: admin },
        { headers: { authorization: `Bearer ${a.key}` } },
      ];
      const before = await webhookCount();
      for (const c of credentials) {
        for (const res of [
          await t.post('/webhook', { ...c, body: { url: URL_A } }),
          await t.get('/webhooks', c),
          await t.put(`/webhook/${hook.id}`, { ...c, body: { active: false } }),
          await t.delete(`/webhook/${hook.id}`, c),
        ]) {
          expect(res.status).toBe(401);
          expect(res.body).toEqual({ status: false, message: 'Invalid API key' });
        }
      }
      expect(await webhookCount()).toBe(before);
      expect((await listAs(a.key)).find((w) => w.id === hook.id)).toMatchObject({ active: true });
    });

    /**
     * Issue 15, item 9: a key could make any number of subscriptions (each a relay cursor, a
     * fan-out target and, then, a metrics series). Now WEBHOOK_MAX_PER_API_KEY (20) per key.
     */
    describe('at most WEBHOOK_MAX_PER_API_KEY (20) subscriptions per key', () => {
      const LIMIT = 20;

      async function ownedBy(id: number): Promise<number> {
        const [row] = await t.dataSource.query(`SELECT count(*)::int AS n FROM webhooks WHERE owner_api_key_id = $1`, [id]);
        return row.n;
      }

      it('answers the 21st with 409 in the public envelope and saves nothing; deleting one makes room; another key and admins are not counted', async () => {
        const full = await newKey('ATS full');
        const hooks = [];
        for (let i = 0; i < LIMIT; i++) hooks.push(await createAs(full.key, { url: URL_A, active: i % 2 === 0 }));
        const before = await webhookCount();

        const refused = await t.post('/webhook', { headers: withKey(full.key), body: { url: URL_B } });
        expect(refused.status).toBe(409);
        expect(refused.body).toEqual({ status: false, message: `an API key may have at most ${LIMIT} webhook subscriptions; delete one first` });
        expect(await webhookCount()).toBe(before);
        expect(await ownedBy(full.id)).toBe(LIMIT);
        // A disabled subscription still counts (it can be re-activated).
        await t.dataSource.query(`UPDATE webhooks SET state = 'disabled', active = false WHERE id = $1`, [hooks[0].id]);
        expect((await t.post('/webhook', { headers: withKey(full.key), body: { url: URL_B } })).status).toBe(409);
        // Bad input is still a 400, before the count.
        expect((await t.post('/webhook', { headers: withKey(full.key), body: { url: 'ftp://x' } })).status).toBe(400);

        expect((await t.delete(`/webhook/${hooks[1].id}`, { headers: withKey(full.key) })).status).toBe(200);
        await createAs(full.key, { url: URL_B });
        expect(await ownedBy(full.id)).toBe(LIMIT);

        await createAs(b.key);
        const adminHook = await t.post('/api/v1/admin/webhooks', { token: admin, body: { webhook: { url: URL_A } } });
        expect(adminHook.status).toBe(201);
        created.push(adminHook.body.webhook.id);
      });

      it('holds under parallel creates: 30 at once from a new key make exactly 20', async () => {
        const racing = await newKey('ATS racing');
        const answers = await Promise.all(Array.from({ length: 30 }, () => t.post('/webhook', { headers: withKey(racing.key), body: { url: URL_A } })));
        for (const res of answers) if (res.status === 200) created.push(res.body.data.id);
        expect(answers.filter((r) => r.status === 200)).toHaveLength(LIMIT);
        expect(answers.filter((r) => r.status === 409)).toHaveLength(30 - LIMIT);
        expect(await ownedBy(racing.id)).toBe(LIMIT);
      });

      it('reads the limit from WEBHOOK_MAX_PER_API_KEY (1 to 1000, 20 by default)', () => {
        expect(validateEnvironment({}).WEBHOOK_MAX_PER_API_KEY).toBe(20);
        expect(validateEnvironment({ WEBHOOK_MAX_PER_API_KEY: '5' }).WEBHOOK_MAX_PER_API_KEY).toBe(5);
        for (const value of ['0', '1001', 'many']) expect(() => validateEnvironment({ WEBHOOK_MAX_PER_API_KEY: value })).toThrow(/WEBHOOK_MAX_PER_API_KEY/);
      });
    });

    it('sends the CORS headers on every route, echoing the Origin or else *', async () => {
      const hook = await createAs(a.key);
      const origin = 'https://ats.example';
      const calls = async (headers: Record<string, string>) => [
        await t.post('/webhook', { headers, body: { url: URL_A } }),
        await t.get('/webhooks', { headers }),
        await t.put(`/webhook/${hook.id}`, { headers, body: { active: true } }),
        await t.post('/webhook', { headers, body: { url: 'ftp://x' } }),
        await t.delete('/webhook/999999999', { headers }),
      ];
      for (const res of await calls(withKey(a.key, { origin }))) {
        if (res.status === 200 && res.body.data?.secret) created.push(res.body.data.id);
        expect(res.headers['access-control-allow-origin']).toBe(origin);
        expect(res.headers['access-control-allow-credentials']).toBe('true');
      }
      for (const res of await calls(withKey(a.key))) {
        if (res.status === 200 && res.body.data?.secret) created.push(res.body.data.id);
        expect(res.headers['access-control-allow-origin']).toBe('*');
        expect(res.headers['access-control-allow-credentials']).toBe('true');
      }
      const unauthenticated = await t.get('/webhooks', { headers: { origin } });
      expect(unauthenticated.status).toBe(401);
      expect(unauthenticated.headers['access-control-allow-origin']).toBe(origin);
      expect(unauthenticated.headers['access-control-allow-credentials']).toBe('true');
    });
  });
});
