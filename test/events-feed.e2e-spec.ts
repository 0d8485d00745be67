import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

interface FeedEvent {
  id: number;
  type: string;
  interview_id: number;
  occurred_at: string;
  actor: { type: string; id: number; role?: string };
  data: Record<string, unknown>;
}

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** GET /api/v1/events: the pull feed of every domain event, for admins and API keys. */
describe('event feed: GET /api/v1/events', () => {
  let t: TestApp;
  let admin: string;
  let key: string;
  let keyId: number;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    admin = await t.admin();
    const res = await t.post('/api/v1/admin/api_keys', { token: admin, body: { api_key: { name: 'feed reader' } } });
    expect(res.status).toBe(201);
    key = res.body.api_key.key;
    keyId = res.body.api_key.id;
  });
  afterAll(() => t.close());

  const asAdmin = async (query: string) => t.get(`/api/v1/events${query}`, { token: admin });
  const asKey = (query: string) => t.get(`/api/v1/events${query}`, { headers: { 'x-api-key': key } });

  /** The id of the newest event, read through the feed itself (page by page to the end). */
  async function head(): Promise<number> {
    let after = 0;
    for (;;) {
      const res = await asAdmin(`?after=${after}&limit=500`);
      expect(res.status).toBe(200);
      after = res.body.next_after;
      if (res.body.events.length < 500) return after;
    }
  }

  /** An interview created, amended by its interviewer, then cancelled: three events. */
  async function lifecycle() {
    const s = await t.scenario();
    const start = new Date(Date.parse(s.interview.start_at) + 3600_000);
    const end = new Date(start.getTime() + 1800_000);
    const amend = await t.post(`/api/v1/interviews/${s.interview.id}/amend`, {
      token: s.interviewer.token,
      body: { interview: { amend_start_at: start.toISOString(), amend_end_at: end.toISOString() } },
    });
    expect(amend.status).toBe(200);
    const cancel = await t.post(`/api/v1/interviews/${s.interview.id}/cancel`, {
      token: s.interviewer.token,
      body: { interview: { reason: 'moved' } },
    });
    expect(cancel.status).toBe(200);
    return s;
  }

  it('gives an admin the events oldest first, each in the documented shape, with next_after', async () => {
    const before = await head();
    const { interview, interviewer } = await t.scenario();

    const res = await asAdmin(`?after=${before}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['events', 'next_after']);
    const events: FeedEvent[] = res.body.events;
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      id: expect.any(Number),
      type: 'interview.created',
      interview_id: interview.id,
      occurred_at: expect.stringMatching(ISO_MS),
      actor: { type: 'user', id: interviewer.id, role: 'interviewer' },
      data: expect.any(Object),
    });
    expect(events[0].id).toBeGreaterThan(before);
    expect(res.body.next_after).toBe(events[0].id);

    const everything: FeedEvent[] = (await asAdmin('?limit=500')).body.events;
    const ids = everything.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives an API key the same feed as an admin', async () => {
    const before = await head();
    await t.scenario();
    await t.scenario();
    const byKey = await asKey(`?after=${before}`);
    const byAdmin = await asAdmin(`?after=${before}`);
    expect(byKey.status).toBe(200);
    expect(byKey.body.events).toHaveLength(2);
    expect(byKey.body).toEqual(byAdmin.body);
    expect(byKey.body.next_after).toBe(byKey.body.events[1].id);
  });

  it('records an API key as the actor of the changes it makes', async () => {
    const { interview } = await t.scenario();
    const before = await head();
    const put = await t.put(`/interview/${interview.id}`, { body: { interview_language: 'de' }, headers: { 'x-api-key': key } });
    expect(put.status).toBe(200);
    const events: FeedEvent[] = (await asKey(`?after=${before}`)).body.events;
    expect(events).toEqual([
      expect.objectContaining({ type: 'interview.config_updated', interview_id: interview.id, actor: { type: 'api_key', id: keyId } }),
    ]);
  });

  it('resumes exactly after the given id across pages of 2: nothing skipped, nothing repeated', async () => {
    const before = await head();
    await lifecycle();
    await lifecycle();
    await t.scenario();

    const whole: FeedEvent[] = (await asAdmin(`?after=${before}&limit=500`)).body.events;
    expect(whole).toHaveLength(7);

    const paged: FeedEvent[] = [];
    let after = before;
    let pages = 0;
    for (;;) {
      const res = await asAdmin(`?after=${after}&limit=2`);
      expect(res.status).toBe(200);
      const page: FeedEvent[] = res.body.events;
      expect(page.length).toBeLessThanOrEqual(2);
      if (page.length === 0) {
        // An empty page keeps the caller where it was.
        expect(res.body.next_after).toBe(after);
        break;
      }
      expect(page[0].id).toBeGreaterThan(after);
      expect(res.body.next_after).toBe(page[page.length - 1].id);
      paged.push(...page);
      after = res.body.next_after;
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(4);
    expect(paged).toEqual(whole);
    expect(new Set(paged.map((e) => e.id)).size).toBe(paged.length);

    // Every id the database holds after `before`, once each, in order.
    const rows: { id: string }[] = await t.dataSource.query(`SELECT id FROM interview_events WHERE id > $1 ORDER BY id`, [before]);
    expect(paged.map((e) => e.id)).toEqual(rows.map((r) => Number(r.id)));

    // Resuming from the middle of a page starts right after that id.
    const middle = whole[2].id;
    const resumed = await asAdmin(`?after=${middle}&limit=3`);
    expect(resumed.body.events).toEqual(whole.slice(3, 6));
  });

  it('shows the events of a lifecycle in commit order, with consecutive ids for that interview', async () => {
    const before = await head();
    const { interview, interviewer } = await lifecycle();

    const events: FeedEvent[] = (await asAdmin(`?after=${before}`)).body.events;
    const mine = events.filter((e) => e.interview_id === interview.id);
    expect(mine.map((e) => e.type)).toEqual(['interview.created', 'interview.amended', 'interview.cancelled']);
    expect(mine[1].id).toBe(mine[0].id + 1);
    expect(mine[2].id).toBe(mine[1].id + 1);
    for (const e of mine) expect(e.actor).toEqual({ type: 'user', id: interviewer.id, role: 'interviewer' });
    expect(mine[2].data).toMatchObject({ status: 'cancelled', reason: 'moved' });
    const times = mine.map((e) => Date.parse(e.occurred_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // The same events, the same JSON, as the interview's own history shows them.
    const history = await t.get(`/api/v1/interviews/${interview.id}/events`, { token: interviewer.token });
    expect(history.status).toBe(200);
    expect(history.body.events).toEqual(mine);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['limit=1.5', 'limit'],
    ['after=-1', 'after'],
    ['after=abc', 'after'],
    ['after=1.5', 'after'],
  ])('refuses %s with 400 validation_failed naming the parameter', async (query, field) => {
    for (const res of [await asAdmin(`?${query}`), await asKey(`?${query}`)]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(new RegExp(`^${field} `)) });
      expect(res.body.error.details?.[0]?.field).toBe(field);
    }
  });

  it('accepts the bounds limit=1 and limit=500', async () => {
    const one = await asAdmin('?limit=1');
    expect(one.status).toBe(200);
    expect(one.body.events).toHaveLength(1);
    expect(one.body.next_after).toBe(one.body.events[0].id);
    expect((await asAdmin('?limit=500')).status).toBe(200);
  });

  it('refuses interviewers and drivers with 403 forbidden', async () => {
    const { interviewer, driver } = await t.scenario();
    for (const token of [interviewer.token, driver.token]) {
      const res = await t.get('/api/v1/events', { token });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
    }
  });

  it('refuses a request without credentials, or with a wrong key, with 401 unauthenticated', async () => {
    const wrongKey = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    for (const res of [
      await t.get('/api/v1/events'),
      await t.get('/api/v1/events', { headers: { 'x-api-key': wrongKey } }),
      await t.get('/api/v1/events', { headers: { authorization: 'Bearer not-a-token' } }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
  });
});
