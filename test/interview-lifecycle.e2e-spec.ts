import { PinoLogger } from 'nestjs-pino';
import { TestApp, TestClock } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * The interview lifecycle through HTTP (API.md "Interviews", "Status transitions", "Concurrency",
 * "Domain events"): every action route, every kind of refusal, If-Match, the event log and the
 * in-process subscriber.
 *
 * Several tests compare `t.snapshot()` (a checksum of every table) before and after a refused
 * request; they assume no other test file writes to the run's database at the same moment
 * (the project's `npm test` runs jest with --runInBand).
 */

const BASE = '2031-03-03T09:00:00.000Z';
const H = 3600_000;

const INTERVIEW_KEYS = [
  'id', 'amend_end_at', 'amend_start_at', 'amended_by', 'end_at', 'interviewee', 'interviewee_id', 'interviewer',
  'interviewer_id', 'kind', 'location', 'start_at', 'status',
  'config', 'allowed_actions', 'version', 'created_at', 'updated_at',
];

type Who = 'interviewer' | 'driver' | 'admin';
type Setup =
  | 'pending'
  | 'scheduled'
  | 'amended_by_interviewer'
  | 'amended_by_interviewee'
  | 'cancelled'
  | 'rejected'
  | 'completed'
  | 'no_show';
type Action = 'accept' | 'decline_amendment' | 'amend' | 'reject' | 'cancel' | 'complete' | 'no_show';

describe('interview lifecycle over HTTP', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start(AppModule, { clock: new TestClock(BASE) });
  });
  afterEach(() => t.clock.set(BASE));
  afterAll(() => t.close());

  const userUrl = (id: number, action?: string) => `/api/v1/interviews/${id}${action ? `/${action}` : ''}`;
  const driverUrl = (id: number, action: string) => `/api/v1/users/interviews/${id}/${action}`;
  const iso = (ms: number) => new Date(ms).toISOString();

  type Scenario = Awaited<ReturnType<TestApp['scenario']>> & { id: number };

  /**
   * Most tests share one interviewer and one driver (creating users hashes passwords, which is
   * slow); each interview gets a slot of its own a week apart, so proposals never collide.
   */
  let cast: { interviewer: Scenario['interviewer']; interviewee: Scenario['interviewee'] };
  let slot = 0;
  beforeAll(async () => {
    cast = { interviewer: await t.user('interviewer'), interviewee: await t.interviewee() };
  });

  async function scenario(fresh = false): Promise<Scenario> {
    if (fresh) {
      const s = await t.scenario();
      return { ...s, id: s.interview.id };
    }
    const start = new Date(Date.parse(BASE) + 24 * H + slot++ * 7 * 24 * H);
    const end = new Date(start.getTime() + 30 * 60_000);
    const res = await t.post('/api/v1/interviews', {
      token: cast.interviewer.token,
      body: { interview: { interviewee_id: cast.interviewee.id, start_at: start.toISOString(), end_at: end.toISOString(), kind: 'video_call', location: 'London' } },
    });
    if (res.status !== 201) throw new Error(`interview creation failed: ${res.status} ${res.text}`);
    const interview = res.body.interview;
    return { interviewer: cast.interviewer, interviewee: cast.interviewee, driver: cast.interviewee.driver, interview, start, end, id: interview.id };
  }

  async function tokenOf(s: Scenario, who: Who): Promise<string> {
    if (who === 'interviewer') return s.interviewer.token;
    if (who === 'driver') return s.driver.token;
    return t.admin();
  }

  /** A proposal `days` after the interview's current start, 45 minutes long. */
  function proposal(s: Scenario, days = 2) {
    const start = s.start.getTime() + days * 24 * H;
    return { amend_start_at: iso(start), amend_end_at: iso(start + 45 * 60_000) };
  }

  async function ok(res: Awaited<ReturnType<TestApp['post']>>): Promise<Awaited<ReturnType<TestApp['post']>>> {
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status} ${res.text}`);
    return res;
  }

  async function show(s: Scenario, who: Who = 'admin') {
    const res = await t.get(userUrl(s.id), { token: await tokenOf(s, who) });
    expect(res.status).toBe(200);
    return res;
  }

  async function events(s: Scenario) {
    const res = await t.get(userUrl(s.id, 'events'), { token: await t.admin() });
    expect(res.status).toBe(200);
    return res.body.events as { id: number; type: string; interview_id: number; occurred_at: string; actor: Record<string, unknown>; data: Record<string, unknown> }[];
  }

  /** Moves the clock past the start, runs `fn`, and moves it back. */
  async function afterStart<T>(s: Scenario, fn: () => Promise<T>): Promise<T> {
    t.clock.set(new Date(s.start.getTime() + 60_000));
    try {
      return await fn();
    } finally {
      t.clock.set(BASE);
    }
  }

  /** A fresh interview brought into `setup` through the API. */
  async function given(setup: Setup, fresh = false): Promise<Scenario> {
    const s = await scenario(fresh);
    const as = (who: Who) => tokenOf(s, who);
    switch (setup) {
      case 'pending':
        break;
      case 'scheduled':
        await ok(await t.post(userUrl(s.id, 'accept'), { token: await as('driver') }));
        break;
      case 'amended_by_interviewer':
        await ok(await t.post(userUrl(s.id, 'amend'), { token: await as('interviewer'), body: { interview: proposal(s, 1) } }));
        break;
      case 'amended_by_interviewee':
        await ok(await t.post(driverUrl(s.id, 'amend'), { token: await as('driver'), body: { interview: proposal(s, 1) } }));
        break;
      case 'cancelled':
        await ok(await t.post(userUrl(s.id, 'cancel'), { token: await as('interviewer') }));
        break;
      case 'rejected':
        await ok(await t.post(userUrl(s.id, 'reject'), { token: await as('driver') }));
        break;
      case 'completed':
      case 'no_show':
        await ok(await t.post(userUrl(s.id, 'accept'), { token: await as('driver') }));
        await afterStart(s, async () =>
          ok(await t.post(userUrl(s.id, setup === 'completed' ? 'complete' : 'no_show'), { token: await as('interviewer') })),
        );
        break;
    }
    return s;
  }

  // ---- every action route: 200, the full interview, its ETag ---------------------------------

  describe('action routes answer 200 with the full interview JSON and ETag "<version>"', () => {
    const cases: [string, Setup, Who, 'user' | 'driver', Action, string, string][] = [
      ['POST /interviews/:id/accept (pending)', 'pending', 'driver', 'user', 'accept', 'scheduled', 'interview.accepted'],
      ['POST /interviews/:id/accept (amendment)', 'amended_by_interviewee', 'interviewer', 'user', 'accept', 'scheduled', 'interview.amendment_accepted'],
      ['POST /interviews/:id/amend', 'pending', 'interviewer', 'user', 'amend', 'amended', 'interview.amended'],
      ['POST /interviews/:id/decline_amendment', 'amended_by_interviewer', 'driver', 'user', 'decline_amendment', 'pending', 'interview.amendment_declined'],
      ['POST /interviews/:id/reject', 'scheduled', 'driver', 'user', 'reject', 'rejected', 'interview.rejected'],
      ['POST /interviews/:id/cancel', 'scheduled', 'interviewer', 'user', 'cancel', 'cancelled', 'interview.cancelled'],
      ['POST /interviews/:id/complete', 'scheduled', 'interviewer', 'user', 'complete', 'completed', 'interview.completed'],
      ['POST /interviews/:id/no_show', 'scheduled', 'admin', 'user', 'no_show', 'no_show', 'interview.no_show'],
      ['POST /users/interviews/:id/accept (pending)', 'pending', 'driver', 'driver', 'accept', 'scheduled', 'interview.accepted'],
      ['POST /users/interviews/:id/accept (amendment)', 'amended_by_interviewer', 'driver', 'driver', 'accept', 'scheduled', 'interview.amendment_accepted'],
      ['POST /users/interviews/:id/reject', 'amended_by_interviewer', 'driver', 'driver', 'reject', 'rejected', 'interview.rejected'],
      ['POST /users/interviews/:id/amend', 'scheduled', 'driver', 'driver', 'amend', 'amended', 'interview.amended'],
      ['POST /users/interviews/:id/decline_amendment', 'amended_by_interviewer', 'driver', 'driver', 'decline_amendment', 'pending', 'interview.amendment_declined'],
    ];

    it.each(cases)('%s, from %s, by the %s', async (_name, setup, who, api, action, status, eventType) => {
      const s = await given(setup);
      const before = (await show(s)).body.interview;
      const eventsBefore = await events(s);
      const token = await tokenOf(s, who);
      const url = api === 'user' ? userUrl(s.id, action) : driverUrl(s.id, action);
      const body = action === 'amend' ? { interview: proposal(s, 3) } : undefined;

      const send = () => t.post(url, { token, body });
      const res = action === 'complete' || action === 'no_show' ? await afterStart(s, send) : await send();

      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      const interview = res.body.interview;
      expect(Object.keys(res.body)).toEqual(['interview']);
      expect(Object.keys(interview)).toEqual(INTERVIEW_KEYS);
      expect(interview).toMatchObject({ id: s.id, status, version: before.version + 1, interviewer_id: s.interviewer.id, interviewee_id: s.interviewee.id });
      expect(res.headers.etag).toBe(`"${before.version + 1}"`);
      expect(interview.allowed_actions).toEqual(expect.any(Array));

      // what the response shows is what is stored
      const after = await t.get(userUrl(s.id), { token });
      expect(after.headers.etag).toBe(res.headers.etag);
      expect(after.body.interview).toEqual(interview);

      const eventsAfter = await events(s);
      expect(eventsAfter).toHaveLength(eventsBefore.length + 1);
      expect(eventsAfter[eventsAfter.length - 1]).toMatchObject({ type: eventType, interview_id: s.id });
    });

    it('accepting an amendment moves start_at/end_at to the proposal and clears amend_* and amended_by', async () => {
      const s = await given('amended_by_interviewer');
      const p = proposal(s, 1);
      const res = await t.post(driverUrl(s.id, 'accept'), { token: s.driver.token });
      expect(res.status).toBe(200);
      expect(res.body.interview).toMatchObject({
        status: 'scheduled',
        start_at: p.amend_start_at,
        end_at: p.amend_end_at,
        amend_start_at: null,
        amend_end_at: null,
        amended_by: null,
      });
    });

    it('declining an amendment keeps the times and returns to the status before it (scheduled)', async () => {
      const s = await given('scheduled');
      await ok(await t.post(userUrl(s.id, 'amend'), { token: s.driver.token, body: { interview: proposal(s, 1) } }));
      await ok(await t.post(userUrl(s.id, 'amend'), { token: s.driver.token, body: { interview: proposal(s, 2) } }));
      const res = await t.post(userUrl(s.id, 'decline_amendment'), { token: s.interviewer.token });
      expect(res.status).toBe(200);
      expect(res.body.interview).toMatchObject({
        status: 'scheduled',
        start_at: s.start.toISOString(),
        end_at: s.end.toISOString(),
        amend_start_at: null,
        amend_end_at: null,
        amended_by: null,
        version: 5,
      });
    });

    it("an admin's amendment is amended_by interviewer", async () => {
      const s = await given('pending');
      const res = await t.post(userUrl(s.id, 'amend'), { token: await t.admin(), body: { interview: proposal(s) } });
      expect(res.status).toBe(200);
      expect(res.body.interview).toMatchObject({ status: 'amended', amended_by: 'interviewer', ...proposal(s) });
    });

    it('allowed_actions is for the caller: interviewer on pending = amend, cancel, update_config', async () => {
      const s = await given('pending');
      expect((await show(s, 'interviewer')).body.interview.allowed_actions).toEqual(['amend', 'cancel', 'update_config']);
      expect((await show(s, 'driver')).body.interview.allowed_actions).toEqual(['accept', 'amend', 'reject']);
      expect((await show(s, 'admin')).body.interview.allowed_actions).toEqual(['accept', 'amend', 'reject', 'cancel', 'update_config']);
    });
  });

  // ---- refusals change nothing ----------------------------------------------------------------

  describe('an illegal action is refused and changes nothing', () => {
    const cases: [Setup, Action, Who, 'user' | 'driver', number, string][] = [
      ['pending', 'accept', 'interviewer', 'user', 403, 'forbidden'],
      ['pending', 'reject', 'interviewer', 'user', 403, 'forbidden'],
      ['pending', 'cancel', 'driver', 'user', 403, 'forbidden'],
      ['pending', 'decline_amendment', 'interviewer', 'user', 409, 'invalid_transition'],
      ['pending', 'decline_amendment', 'driver', 'driver', 409, 'invalid_transition'],
      ['pending', 'complete', 'admin', 'user', 409, 'invalid_transition'],
      ['scheduled', 'accept', 'driver', 'user', 409, 'invalid_transition'],
      ['scheduled', 'accept', 'driver', 'driver', 409, 'invalid_transition'],
      ['scheduled', 'complete', 'driver', 'user', 403, 'forbidden'],
      ['scheduled', 'no_show', 'driver', 'user', 403, 'forbidden'],
      ['amended_by_interviewer', 'accept', 'interviewer', 'user', 403, 'forbidden'],
      ['amended_by_interviewer', 'decline_amendment', 'interviewer', 'user', 403, 'forbidden'],
      ['amended_by_interviewer', 'cancel', 'driver', 'user', 403, 'forbidden'],
      ['amended_by_interviewee', 'accept', 'driver', 'driver', 403, 'forbidden'],
      ['amended_by_interviewee', 'decline_amendment', 'driver', 'driver', 403, 'forbidden'],
      ['amended_by_interviewee', 'complete', 'interviewer', 'user', 409, 'invalid_transition'],
      ['cancelled', 'cancel', 'interviewer', 'user', 409, 'invalid_transition'],
      ['cancelled', 'amend', 'driver', 'driver', 409, 'invalid_transition'],
      ['cancelled', 'accept', 'admin', 'user', 409, 'invalid_transition'],
      ['cancelled', 'reject', 'driver', 'driver', 409, 'invalid_transition'],
      ['rejected', 'reject', 'driver', 'user', 409, 'invalid_transition'],
      ['rejected', 'amend', 'interviewer', 'user', 409, 'invalid_transition'],
      ['rejected', 'decline_amendment', 'admin', 'user', 409, 'invalid_transition'],
      ['completed', 'no_show', 'interviewer', 'user', 409, 'invalid_transition'],
      ['completed', 'accept', 'driver', 'driver', 409, 'invalid_transition'],
      ['completed', 'reject', 'interviewer', 'user', 403, 'forbidden'],
      ['no_show', 'complete', 'admin', 'user', 409, 'invalid_transition'],
      ['no_show', 'cancel', 'interviewer', 'user', 409, 'invalid_transition'],
    ];

    it.each(cases)('%s: %s by the %s (%s route) → %i %s', async (setup, action, who, api, status, code) => {
      const s = await given(setup);
      const token = await tokenOf(s, who);
      const before = await show(s);
      const eventsBefore = await events(s);
      const snap = await t.snapshot();
      const url = api === 'user' ? userUrl(s.id, action) : driverUrl(s.id, action);
      const body = action === 'amend' ? { interview: proposal(s, 3) } : undefined;

      const res = await t.post(url, { token, body });

      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error: expect.objectContaining({ code, message: expect.any(String) }) });
      const after = await show(s);
      expect(after.headers.etag).toBe(before.headers.etag);
      expect(after.body.interview.version).toBe(before.body.interview.version);
      expect(after.body.interview.status).toBe(before.body.interview.status);
      expect(await events(s)).toEqual(eventsBefore);
      expect(await t.snapshot()).toBe(snap);
    });

    it('a user who is not a participant gets 404 and changes nothing', async () => {
      const s = await given('pending');
      const other = await t.user('driver');
      const snap = await t.snapshot();
      for (const action of ['accept', 'reject', 'amend', 'decline_amendment'] as const) {
        const body = action === 'amend' ? { interview: proposal(s) } : undefined;
        const res = await t.post(userUrl(s.id, action), { token: other.token, body });
        expect([action, res.status, res.body.error.code]).toEqual([action, 404, 'not_found']);
      }
      expect((await t.get(userUrl(s.id), { token: other.token })).status).toBe(404);
      expect(await t.snapshot()).toBe(snap);
    });

    it('an interviewer on the driver routes gets 403', async () => {
      const s = await given('amended_by_interviewee');
      const snap = await t.snapshot();
      const res = await t.post(driverUrl(s.id, 'accept'), { token: s.interviewer.token });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(await t.snapshot()).toBe(snap);
    });

    it('an unknown body property on accept is a 400 naming it, before any state check', async () => {
      const s = await given('pending');
      const snap = await t.snapshot();
      const res = await t.post(userUrl(s.id, 'accept'), { token: s.driver.token, body: { status: 'scheduled' } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.error)).toContain('status');
      expect(await t.snapshot()).toBe(snap);
      // also on an interview whose status would refuse the action: input is checked first
      const done = await given('cancelled');
      const res2 = await t.post(userUrl(done.id, 'accept'), { token: done.driver.token, body: { status: 'scheduled' } });
      expect(res2.status).toBe(400);
    });

    it('an invalid proposal on a cancelled interview is a 400, not a 409', async () => {
      const s = await given('cancelled');
      const p = proposal(s);
      const res = await t.post(userUrl(s.id, 'amend'), {
        token: s.interviewer.token,
        body: { interview: { amend_start_at: p.amend_end_at, amend_end_at: p.amend_start_at } },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    });

    it.each([
      ['the end is before the start', (s: Scenario) => ({ amend_start_at: iso(s.start.getTime() + 5 * H), amend_end_at: iso(s.start.getTime() + 4 * H) })],
      ['it lasts more than 12 hours', (s: Scenario) => ({ amend_start_at: iso(s.start.getTime() + 5 * H), amend_end_at: iso(s.start.getTime() + 18 * H) })],
      ['it starts in the past', () => ({ amend_start_at: iso(Date.parse(BASE) - H), amend_end_at: iso(Date.parse(BASE) + H) })],
      ['it equals the current times', (s: Scenario) => ({ amend_start_at: s.start.toISOString(), amend_end_at: s.end.toISOString() })],
    ])('an amendment is a 400 validation_failed when %s', async (_name, make) => {
      const s = await given('pending');
      const snap = await t.snapshot();
      const res = await t.post(userUrl(s.id, 'amend'), { token: s.interviewer.token, body: { interview: make(s) } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(await t.snapshot()).toBe(snap);
    });
  });

  // ---- complete / no_show and the clock -------------------------------------------------------

  it.each(['complete', 'no_show'] as const)('%s before start_at is 409, after the clock passes start_at it is 200', async (action) => {
    const s = await given('scheduled');
    const snap = await t.snapshot();
    const early = await t.post(userUrl(s.id, action), { token: s.interviewer.token });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('invalid_transition');
    expect(await t.snapshot()).toBe(snap);

    t.clock.set(new Date(s.start.getTime() + 5 * 60_000));
    const res = await t.post(userUrl(s.id, action), { token: s.interviewer.token });
    expect(res.status).toBe(200);
    expect(res.body.interview.status).toBe(action === 'complete' ? 'completed' : 'no_show');
    expect(res.headers.etag).toBe('"3"');
  });

  // ---- reject, cancel -------------------------------------------------------------------------

  it.each([
    ['/api/v1/interviews/:id/reject', 'user'],
    ['/api/v1/users/interviews/:id/reject', 'driver'],
  ] as const)("%s turns the interviewee's kind to rejected", async (_name, api) => {
    const s = await given('pending', true);
    expect((await show(s)).body.interview.interviewee.kind).toBe('verified');
    const url = api === 'user' ? userUrl(s.id, 'reject') : driverUrl(s.id, 'reject');
    const res = await t.post(url, { token: s.driver.token });
    expect(res.status).toBe(200);
    expect(res.body.interview.status).toBe('rejected');
    expect(res.body.interview.interviewee.kind).toBe('rejected');
    expect((await show(s, 'interviewer')).body.interview.interviewee.kind).toBe('rejected');
  });

  it('cancel records the reason in the event data; without a body the reason is null', async () => {
    const s = await given('scheduled');
    const res = await t.post(userUrl(s.id, 'cancel'), {
      token: s.interviewer.token,
      body: { interview: { reason: 'The driver found another job' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.interview.status).toBe('cancelled');
    const last = (await events(s)).pop()!;
    expect(last).toMatchObject({
      type: 'interview.cancelled',
      actor: { type: 'user', id: s.interviewer.id, role: 'interviewer' },
      data: { reason: 'The driver found another job', previous_status: 'scheduled', status: 'cancelled' },
    });

    const other = await given('pending');
    await ok(await t.post(userUrl(other.id, 'cancel'), { token: await t.admin() }));
    expect((await events(other)).pop()).toMatchObject({ type: 'interview.cancelled', data: { reason: null }, actor: { role: 'admin' } });
  });

  // ---- If-Match -------------------------------------------------------------------------------

  describe('If-Match', () => {
    it('a stale ETag is 412 precondition_failed and changes nothing', async () => {
      const s = await given('scheduled'); // version 2
      const snap = await t.snapshot();
      const res = await t.post(userUrl(s.id, 'amend'), {
        token: s.interviewer.token,
        headers: { 'if-match': '"1"' },
        body: { interview: proposal(s) },
      });
      expect(res.status).toBe(412);
      expect(res.body.error.code).toBe('precondition_failed');
      expect(await t.snapshot()).toBe(snap);
    });

    it('the current ETag lets the change through', async () => {
      const s = await given('pending');
      const { headers } = await show(s, 'driver');
      const res = await t.post(userUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': headers.etag as string } });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"2"');
      // and the ETag of that answer is the one to send next
      const again = await t.post(userUrl(s.id, 'cancel'), { token: s.interviewer.token, headers: { 'if-match': res.headers.etag as string } });
      expect(again.status).toBe(200);
      expect(again.headers.etag).toBe('"3"');
    });

    it('a weak tag W/"1" never matches (strong comparison): 412', async () => {
      const s = await given('pending');
      const snap = await t.snapshot();
      const res = await t.post(userUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': 'W/"1"' } });
      expect(res.status).toBe(412);
      expect(res.body.error.code).toBe('precondition_failed');
      expect(await t.snapshot()).toBe(snap);
    });

    it('* matches any version: 200', async () => {
      const s = await given('amended_by_interviewer');
      const res = await t.post(userUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': '*' } });
      expect(res.status).toBe(200);
      expect(res.body.interview.status).toBe('scheduled');
    });

    it('a list holding the current ETag matches', async () => {
      const s = await given('pending');
      const res = await t.post(userUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': '"7", "1"' } });
      expect(res.status).toBe(200);
    });

    it('the driver routes honour If-Match too', async () => {
      const s = await given('pending');
      const snap = await t.snapshot();
      const stale = await t.post(driverUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': '"2"' } });
      expect(stale.status).toBe(412);
      expect(await t.snapshot()).toBe(snap);
      const fresh = await t.post(driverUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': '"1"' } });
      expect(fresh.status).toBe(200);
    });
  });

  // ---- the event log --------------------------------------------------------------------------

  it('GET /:id/events lists the events oldest first, each {id,type,interview_id,occurred_at,actor,data}', async () => {
    const s = await given('pending');
    const p1 = proposal(s, 1);
    const p2 = proposal(s, 2);
    await ok(await t.post(userUrl(s.id, 'amend'), { token: s.interviewer.token, body: { interview: p1 } }));
    await ok(await t.post(driverUrl(s.id, 'amend'), { token: s.driver.token, body: { interview: p2 } }));
    await ok(await t.post(userUrl(s.id, 'accept'), { token: s.interviewer.token }));

    for (const who of ['interviewer', 'driver', 'admin'] as Who[]) {
      const res = await t.get(userUrl(s.id, 'events'), { token: await tokenOf(s, who) });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['events']);
    }
    const list = await events(s);
    expect(list.map((e) => e.type)).toEqual(['interview.created', 'interview.amended', 'interview.amended', 'interview.amendment_accepted']);
    for (const e of list) {
      expect(Object.keys(e).sort()).toEqual(['actor', 'data', 'id', 'interview_id', 'occurred_at', 'type']);
      expect(e.interview_id).toBe(s.id);
      expect(e.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    const ids = list.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);

    expect(list[1]).toMatchObject({
      actor: { type: 'user', id: s.interviewer.id, role: 'interviewer' },
      data: { ...p1, amended_by: 'interviewer', start_at: s.start.toISOString(), end_at: s.end.toISOString() },
    });
    expect(list[2]).toMatchObject({
      actor: { type: 'user', id: s.driver.id, role: 'driver' },
      data: { ...p2, amended_by: 'interviewee', start_at: s.start.toISOString(), end_at: s.end.toISOString() },
    });
    expect(list[3].data).toMatchObject({ start_at: p2.amend_start_at, end_at: p2.amend_end_at });

    const stranger = await t.user('interviewer');
    expect((await t.get(userUrl(s.id, 'events'), { token: stranger.token })).status).toBe(404);
  });

  // ---- schedule conflicts ---------------------------------------------------------------------

  it('accepting an amendment that overlaps another live interview of the interviewer is 409 schedule_conflict and changes nothing', async () => {
    const interviewer = await t.user('interviewer');
    const book = async (startMs: number, minutes: number) => {
      const interviewee = await t.interviewee();
      const res = await t.post('/api/v1/interviews', {
        token: interviewer.token,
        body: { interview: { interviewee_id: interviewee.id, start_at: iso(startMs), end_at: iso(startMs + minutes * 60_000), kind: 'video_call' } },
      });
      expect(res.status).toBe(201);
      return { id: res.body.interview.id as number, driver: interviewee.driver };
    };
    const base = Date.parse(BASE);
    const a = await book(base + 24 * H, 60); // 24:00–25:00
    const b = await book(base + 48 * H, 30);
    // the driver of B proposes 24:30–25:30, overlapping A
    await ok(await t.post(driverUrl(b.id, 'amend'), {
      token: b.driver.token,
      body: { interview: { amend_start_at: iso(base + 24.5 * H), amend_end_at: iso(base + 25.5 * H) } },
    }));
    const snap = await t.snapshot();

    const res = await t.post(userUrl(b.id, 'accept'), { token: interviewer.token });

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('schedule_conflict');
    expect(await t.snapshot()).toBe(snap);
    const bNow = (await t.get(userUrl(b.id), { token: interviewer.token })).body.interview;
    expect(bNow).toMatchObject({ status: 'amended', amended_by: 'interviewee', start_at: iso(base + 48 * H), version: 2 });

    // ranges are half-open: once A is cancelled (no longer live) the same acceptance goes through
    await ok(await t.post(userUrl(a.id, 'cancel'), { token: interviewer.token }));
    const retry = await t.post(userUrl(b.id, 'accept'), { token: interviewer.token });
    expect(retry.status).toBe(200);
    expect(retry.body.interview).toMatchObject({ status: 'scheduled', start_at: iso(base + 24.5 * H) });
  });

  // ---- the in-process subscriber --------------------------------------------------------------

  describe('the in-process EventBus subscriber', () => {
    let spy: jest.SpiedFunction<PinoLogger['info']>;
    beforeEach(() => {
      spy = jest.spyOn(PinoLogger.prototype, 'info');
    });
    afterEach(() => spy.mockRestore());

    /** The subscriber's lines: `info({event: {...}}, type)`. */
    const eventLines = () =>
      spy.mock.calls
        .map((args) => args as unknown[])
        .filter((args) => typeof args[0] === 'object' && args[0] !== null && 'event' in (args[0] as object))
        .map((args) => ({ type: (args[0] as { event: { type: string } }).event.type, interviewId: (args[0] as { event: { interview_id: number } }).event.interview_id, msg: args[1] }));

    it('logs one line per committed event, with the event type, and none for a refused request', async () => {
      const s = await given('pending');
      spy.mockClear();

      await ok(await t.post(userUrl(s.id, 'amend'), { token: s.interviewer.token, body: { interview: proposal(s) } }));
      expect(eventLines()).toEqual([{ type: 'interview.amended', interviewId: s.id, msg: 'interview.amended' }]);

      spy.mockClear();
      const refused = await t.post(userUrl(s.id, 'accept'), { token: s.interviewer.token }); // own proposal
      expect(refused.status).toBe(403);
      const stale = await t.post(userUrl(s.id, 'accept'), { token: s.driver.token, headers: { 'if-match': '"1"' } });
      expect(stale.status).toBe(412);
      expect(eventLines()).toEqual([]);

      await ok(await t.post(userUrl(s.id, 'accept'), { token: s.driver.token }));
      await ok(await t.post(userUrl(s.id, 'cancel'), { token: s.interviewer.token, body: { interview: { reason: 'x' } } }));
      expect(eventLines()).toEqual([
        { type: 'interview.amendment_accepted', interviewId: s.id, msg: 'interview.amendment_accepted' },
        { type: 'interview.cancelled', interviewId: s.id, msg: 'interview.cancelled' },
      ]);
    });

    it("names the event's type, interview and actor, and leaves its data (a cancel reason) out of the line", async () => {
      const s = await given('pending');
      spy.mockClear();
      await ok(await t.post(userUrl(s.id, 'cancel'), { token: s.interviewer.token, body: { interview: { reason: 'a private reason' } } }));
      const lines = spy.mock.calls.map((args) => args[0] as { event?: Record<string, unknown> }).filter((fields) => fields?.event);
      expect(lines.map((fields) => fields.event)).toEqual([
        { type: 'interview.cancelled', interview_id: s.id, actor: { type: 'user', id: s.interviewer.id, role: 'interviewer' } },
      ]);
      expect(JSON.stringify(spy.mock.calls)).not.toContain('a private reason');
    });

    it('logs no line for a schedule conflict that was rolled back', async () => {
      const interviewer = await t.user('interviewer');
      const one = await t.interviewee();
      const two = await t.interviewee();
      const base = Date.parse(BASE) + 24 * H;
      const mk = async (intervieweeId: number, start: number) =>
        (await t.post('/api/v1/interviews', {
          token: interviewer.token,
          body: { interview: { interviewee_id: intervieweeId, start_at: iso(start), end_at: iso(start + H), kind: 'in_person' } },
        })).body.interview.id as number;
      await mk(one.id, base);
      const second = await mk(two.id, base + 5 * H);
      await ok(await t.post(userUrl(second, 'amend'), {
        token: interviewer.token,
        body: { interview: { amend_start_at: iso(base + 0.5 * H), amend_end_at: iso(base + 1.5 * H) } },
      }));
      spy.mockClear();
      const res = await t.post(driverUrl(second, 'accept'), { token: two.driver.token });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('schedule_conflict');
      expect(eventLines()).toEqual([]);
    });
  });
});
