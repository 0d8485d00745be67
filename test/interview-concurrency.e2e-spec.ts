import { PinoLogger } from 'nestjs-pino';
import { TestApp, TestClock } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * API.md "Concurrency" and "Domain events" under real concurrency: requests fired together with
 * Promise.all, each on its own pooled connection, against PostgreSQL's row locks and the
 * interviewer's exclusion constraint. Outcomes are asserted, never timings.
 */

const BASE = '2032-05-03T08:00:00.000Z';
const H = 3600_000;
const DAY = 24 * H;

describe('interviews under concurrent requests', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start(AppModule, { clock: new TestClock(BASE) });
  });
  afterAll(() => t.close());

  const iso = (ms: number) => new Date(ms).toISOString();
  const userUrl = (id: number, action?: string) => `/api/v1/interviews/${id}${action ? `/${action}` : ''}`;
  const driverUrl = (id: number, action: string) => `/api/v1/users/interviews/${id}/${action}`;

  type User = { id: number; token: string };
  type Event = { id: number; type: string; data: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

  async function book(interviewer: User, intervieweeId: number, startMs: number, minutes = 60): Promise<number> {
    const res = await t.post('/api/v1/interviews', {
      token: interviewer.token,
      body: { interview: { interviewee_id: intervieweeId, start_at: iso(startMs), end_at: iso(startMs + minutes * 60_000), kind: 'video_call' } },
    });
    if (res.status !== 201) throw new Error(`interview creation failed: ${res.status} ${res.text}`);
    return res.body.interview.id;
  }

  async function current(id: number) {
    const res = await t.get(userUrl(id), { token: await t.admin() });
    expect(res.status).toBe(200);
    return res.body.interview;
  }

  async function events(id: number): Promise<Event[]> {
    const res = await t.get(userUrl(id, 'events'), { token: await t.admin() });
    expect(res.status).toBe(200);
    return res.body.events;
  }

  it('twenty parallel amends of one interview all succeed, each one version step and one event', async () => {
    const interviewer = await t.user('interviewer');
    const interviewee = await t.interviewee();
    const start = Date.parse(BASE) + DAY;
    const id = await book(interviewer, interviewee.id, start, 30);
    const before = await current(id);

    // twenty distinct future proposals, alternately from the interviewer and from the driver
    const proposals = Array.from({ length: 20 }, (_, k) => {
      const s = start + (k + 1) * DAY + k * 60_000;
      return { amend_start_at: iso(s), amend_end_at: iso(s + 45 * 60_000) };
    });
    const responses = await Promise.all(
      proposals.map((p, k) =>
        k % 2 === 0
          ? t.post(userUrl(id, 'amend'), { token: interviewer.token, body: { interview: p } })
          : t.post(driverUrl(id, 'amend'), { token: interviewee.driver.token, body: { interview: p } }),
      ),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    for (const r of responses) expect(r.headers.etag).toBe(`"${r.body.interview.version}"`);

    const after = await current(id);
    expect(after.version).toBe(before.version + 20);
    expect(after.status).toBe('amended');
    expect(after.start_at).toBe(iso(start));

    const amended = (await events(id)).filter((e) => e.type === 'interview.amended');
    expect(amended).toHaveLength(20);
    // every proposal was recorded once, and the last one recorded is the one that stands
    expect(amended.map((e) => e.data.amend_start_at).sort()).toEqual(proposals.map((p) => p.amend_start_at).sort());
    const last = amended[amended.length - 1].data;
    expect({ amend_start_at: after.amend_start_at, amend_end_at: after.amend_end_at }).toEqual({
      amend_start_at: last.amend_start_at,
      amend_end_at: last.amend_end_at,
    });
    expect(after.amended_by).toBe(last.amended_by);
    // serialised: each amendment replaced exactly the one committed before it (no lost update)
    expect(amended[0].data).toMatchObject({ previous_status: 'pending', replaced_proposal: null });
    for (let i = 1; i < amended.length; i++) {
      expect(amended[i].data.previous_status).toBe('amended');
      expect(amended[i].data.replaced_proposal).toEqual({
        amend_start_at: amended[i - 1].data.amend_start_at,
        amend_end_at: amended[i - 1].data.amend_end_at,
        amended_by: amended[i - 1].data.amended_by,
      });
    }
  });

  it('two amendments that overlap each other, accepted in parallel: exactly one 200 and one 409 schedule_conflict', async () => {
    const interviewer = await t.user('interviewer');
    const x = await t.interviewee();
    const y = await t.interviewee();

    for (let round = 0; round < 4; round++) {
      const week = Date.parse(BASE) + DAY + round * 7 * DAY;
      const a = await book(interviewer, x.id, week);
      const b = await book(interviewer, y.id, week + 2 * DAY);
      const pa = { amend_start_at: iso(week + 4 * DAY), amend_end_at: iso(week + 4 * DAY + H) };
      const pb = { amend_start_at: iso(week + 4 * DAY + 0.5 * H), amend_end_at: iso(week + 4 * DAY + 1.5 * H) };
      for (const [id, p] of [[a, pa], [b, pb]] as const) {
        const res = await t.post(userUrl(id, 'amend'), { token: interviewer.token, body: { interview: p } });
        expect(res.status).toBe(200);
      }

      const [ra, rb] = await Promise.all([
        t.post(driverUrl(a, 'accept'), { token: x.driver.token }),
        t.post(driverUrl(b, 'accept'), { token: y.driver.token }),
      ]);

      expect([ra.status, rb.status].sort()).toEqual([200, 409]);
      const [winner, loser, won, lostRes] = ra.status === 200 ? [a, b, pa, rb] : [b, a, pb, ra];
      expect(lostRes.body.error.code).toBe('schedule_conflict');

      const w = await current(winner);
      expect(w).toMatchObject({ status: 'scheduled', start_at: won.amend_start_at, end_at: won.amend_end_at, amend_start_at: null });
      const l = await current(loser);
      expect(l).toMatchObject({ status: 'amended', version: 2, amend_start_at: expect.any(String) });
      expect(l.start_at).not.toBe(l.amend_start_at);
      expect((await events(winner)).map((e) => e.type)).toEqual(['interview.created', 'interview.amended', 'interview.amendment_accepted']);
      expect((await events(loser)).map((e) => e.type)).toEqual(['interview.created', 'interview.amended']);
    }
  });

  it('parallel accept and cancel of one pending interview are serialised: the second sees what the first left', async () => {
    const interviewer = await t.user('interviewer');
    const interviewee = await t.interviewee();
    const outcomes = new Set<string>();

    for (let round = 0; round < 6; round++) {
      const id = await book(interviewer, interviewee.id, Date.parse(BASE) + DAY + round * DAY);
      const [accept, cancel] = await Promise.all([
        t.post(userUrl(id, 'accept'), { token: interviewee.driver.token }),
        t.post(userUrl(id, 'cancel'), { token: interviewer.token, body: { interview: { reason: `round ${round}` } } }),
      ]);

      // cancel is allowed from pending and from scheduled: it always succeeds
      expect(cancel.status).toBe(200);
      const final = await current(id);
      const log = await events(id);
      expect(final.status).toBe('cancelled');
      expect(final.version).toBe(log.length);

      if (accept.status === 200) {
        // accept ran first, cancel then found it scheduled
        outcomes.add('accept first');
        expect(log.map((e) => e.type)).toEqual(['interview.created', 'interview.accepted', 'interview.cancelled']);
        expect(log[2].data).toMatchObject({ previous_status: 'scheduled', reason: `round ${round}` });
        expect(final.version).toBe(3);
      } else {
        // cancel ran first; accepting a cancelled interview is not a transition
        outcomes.add('cancel first');
        expect(accept.status).toBe(409);
        expect(accept.body.error.code).toBe('invalid_transition');
        expect(log.map((e) => e.type)).toEqual(['interview.created', 'interview.cancelled']);
        expect(log[1].data).toMatchObject({ previous_status: 'pending', reason: `round ${round}` });
        expect(final.version).toBe(2);
      }
    }
    expect(outcomes.size).toBeGreaterThan(0);
  });

  it('two parallel accepts of one pending interview: one schedules it, the other finds it scheduled (409)', async () => {
    const interviewer = await t.user('interviewer');
    const interviewee = await t.interviewee();
    const id = await book(interviewer, interviewee.id, Date.parse(BASE) + 3 * DAY);

    const results = await Promise.all([
      t.post(userUrl(id, 'accept'), { token: interviewee.driver.token }),
      t.post(driverUrl(id, 'accept'), { token: interviewee.driver.token }),
      t.post(userUrl(id, 'accept'), { token: await t.admin() }),
    ]);

    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.error.code).toBe('invalid_transition');
    expect(await current(id)).toMatchObject({ status: 'scheduled', version: 2 });
    expect((await events(id)).map((e) => e.type)).toEqual(['interview.created', 'interview.accepted']);
  });

  it('parallel amends with the same If-Match: exactly one wins, the others get 412 (no lost update)', async () => {
    const interviewer = await t.user('interviewer');
    const interviewee = await t.interviewee();
    const start = Date.parse(BASE) + 2 * DAY;
    const id = await book(interviewer, interviewee.id, start);

    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((k) =>
        t.post(userUrl(id, 'amend'), {
          token: k % 2 ? interviewer.token : interviewee.driver.token,
          headers: { 'if-match': '"1"' },
          body: { interview: { amend_start_at: iso(start + k * DAY), amend_end_at: iso(start + k * DAY + H) } },
        }),
      ),
    );

    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
    for (const r of results.filter((r) => r.status === 412)) expect(r.body.error.code).toBe('precondition_failed');
    expect((await current(id)).version).toBe(2);
    expect((await events(id)).filter((e) => e.type === 'interview.amended')).toHaveLength(1);
  });

  describe('atomicity: no change without its event', () => {
    const suffix = `${process.pid}_${Date.now()}`;
    const fn = `test_refuse_event_${suffix}`;
    const trigger = `test_refuse_event_${suffix}`;
    const MARK_START = '2032-07-07T07:07:00.000Z';
    const MARK_REASON = `refuse-this-event-${suffix}`;

    beforeAll(async () => {
      await t.dataSource.query(`
        CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'test trigger refuses event % of interview %', NEW.type, NEW.interview_id;
        END
        $$`);
      await t.dataSource.query(`
        CREATE TRIGGER ${trigger} AFTER INSERT ON interview_events FOR EACH ROW
        WHEN (NEW.data->>'amend_start_at' = '${MARK_START}' OR NEW.data->>'reason' = '${MARK_REASON}')
        EXECUTE FUNCTION ${fn}()`);
    });
    afterAll(async () => {
      await t.dataSource.query(`DROP TRIGGER IF EXISTS ${trigger} ON interview_events`);
      await t.dataSource.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    });

    function expectOpaque500(res: Awaited<ReturnType<TestApp['post']>>): void {
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: { code: 'internal', message: expect.any(String) } });
      for (const leak of ['test trigger', 'interview_events', 'INSERT', 'UPDATE', 'plpgsql', 'QueryFailedError', '.ts:', 'at ']) {
        expect(res.text).not.toContain(leak);
      }
    }

    it('an amend whose event cannot be written fails with 500 internal and leaves the interview as it was', async () => {
      const interviewer = await t.user('interviewer');
      const interviewee = await t.interviewee();
      const id = await book(interviewer, interviewee.id, Date.parse(BASE) + DAY, 30);
      const before = await current(id);
      const eventsBefore = await events(id);
      const snap = await t.snapshot();
      const spy = jest.spyOn(PinoLogger.prototype, 'info');
      try {
        const res = await t.post(userUrl(id, 'amend'), {
          token: interviewer.token,
          body: { interview: { amend_start_at: MARK_START, amend_end_at: iso(Date.parse(MARK_START) + H) } },
        });

        expectOpaque500(res);
        const after = await current(id);
        expect(after).toEqual(before);
        expect(after).toMatchObject({ status: 'pending', version: 1, amend_start_at: null, amend_end_at: null, amended_by: null });
        expect(await events(id)).toEqual(eventsBefore);
        expect((await events(id)).some((e) => e.type === 'interview.amended')).toBe(false);
        expect(await t.snapshot()).toBe(snap);
        // nothing was announced to the in-process subscribers either
        const lines = spy.mock.calls.filter((args) => typeof args[0] === 'object' && args[0] !== null && 'event' in (args[0] as object));
        expect(lines).toEqual([]);
      } finally {
        spy.mockRestore();
      }

      // the row lock was released with the rollback: the next change goes through
      const next = await t.post(userUrl(id, 'amend'), {
        token: interviewer.token,
        body: { interview: { amend_start_at: iso(Date.parse(BASE) + 2 * DAY), amend_end_at: iso(Date.parse(BASE) + 2 * DAY + H) } },
      });
      expect(next.status).toBe(200);
      expect(next.body.interview).toMatchObject({ status: 'amended', version: 2 });
    });

    it('a cancel whose event cannot be written leaves the interview live', async () => {
      const interviewer = await t.user('interviewer');
      const interviewee = await t.interviewee();
      const id = await book(interviewer, interviewee.id, Date.parse(BASE) + 3 * DAY, 30);
      const accepted = await t.post(userUrl(id, 'accept'), { token: interviewee.driver.token });
      expect(accepted.status).toBe(200);
      const before = await current(id);
      const snap = await t.snapshot();

      const res = await t.post(userUrl(id, 'cancel'), { token: interviewer.token, body: { interview: { reason: MARK_REASON } } });

      expectOpaque500(res);
      expect(await current(id)).toEqual(before);
      expect((await events(id)).map((e) => e.type)).toEqual(['interview.created', 'interview.accepted']);
      expect(await t.snapshot()).toBe(snap);
    });
  });
});
