import { Response, TestApp, TestClock } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** API.md Part 1, "Interviews": creating one, and reading them back (one, lists, the driver side, events). */

const NOW = '2030-01-01T00:00:00.000Z';
const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const STACK_OR_SQL = /(\bat \S+ \(|\bat \/|SELECT\b|INSERT\b|QueryFailedError|node_modules|\.ts:\d+)/;

/** The seed's keys, then ours: the order of every interview JSON. */
const INTERVIEW_KEYS = [
  'id', 'amend_end_at', 'amend_start_at', 'amended_by', 'end_at', 'interviewee', 'interviewee_id', 'interviewer',
  'interviewer_id', 'kind', 'location', 'start_at', 'status',
  'config', 'allowed_actions', 'version', 'created_at', 'updated_at',
];
const CONFIG_KEYS = [
  'interview_name', 'skills', 'custom_question_list', 'interview_language', 'can_change_interview_language',
  'only_coding_round', 'is_coding_round_required', 'selected_coding_language', 'coding_exercise_details',
  'is_proctoring_required',
];
const DEFAULT_CONFIG = {
  interview_name: null, skills: [], custom_question_list: [], interview_language: 'en',
  can_change_interview_language: false, only_coding_round: false, is_coding_round_required: false,
  selected_coding_language: null, coding_exercise_details: null, is_proctoring_required: true,
};

function expectInterviewShape(interview: Record<string, any>) { // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(Object.keys(interview)).toEqual(INTERVIEW_KEYS);
  expect(Object.keys(interview.interviewee)).toEqual(['id', 'driver', 'kind', 'updated_at']);
  expect(Object.keys(interview.interviewee.driver)).toEqual(['id', 'image', 'phone_number', 'title']);
  expect(Object.keys(interview.interviewer)).toEqual(['id', 'contact_phone_number', 'image', 'title']);
  expect(Object.keys(interview.config)).toEqual(CONFIG_KEYS);
  for (const key of ['end_at', 'start_at', 'created_at', 'updated_at']) expect(interview[key]).toMatch(ISO_MS);
}

function expectError(res: Response, status: number, code: string) {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(typeof res.body.error.message).toBe('string');
  expect(res.text).not.toMatch(STACK_OR_SQL);
}

/** `hours` after NOW, plus `minutes`, as an ISO string. */
const at = (hours: number, minutes = 0) => new Date(Date.parse(NOW) + hours * 3600_000 + minutes * 60_000).toISOString();

type User = { id: number; token: string; email: string };
type Interviewee = { id: number; driver: { id: number; token: string } };

describe('interviews: create and read', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await TestApp.start(AppModule, { clock: new TestClock(NOW) });
    admin = await t.admin();
  });
  afterAll(() => t.close());

  const create = (token: string, fields: Record<string, unknown>) =>
    t.post('/api/v1/interviews', { token, body: { interview: { kind: 'video_call', location: 'London', ...fields } } });

  async function unchanged<T>(act: () => Promise<T>): Promise<T> {
    const before = await t.snapshot();
    const result = await act();
    expect(await t.snapshot()).toBe(before);
    return result;
  }

  async function eventsOf(interviewId: number): Promise<{ type: string }[]> {
    return t.dataSource.query(`SELECT type FROM interview_events WHERE interview_id = $1 ORDER BY id`, [interviewId]);
  }

  describe('POST /api/v1/interviews', () => {
    let interviewer: User;
    let interviewee: Interviewee;
    beforeAll(async () => {
      interviewer = await t.user('interviewer', { title: 'Jacob Bogisich' });
      interviewee = await t.interviewee('verified', { title: 'Howard Schiller', phone_number: '07554 311340' });
    });

    it('answers 201 with a pending interview at version 1, ETag "1" and the interviewer\'s allowed actions', async () => {
      const res = await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(1), end_at: at(1, 30) });
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.etag).toBe('"1"');
      expect(Object.keys(res.body)).toEqual(['interview']);
      const interview = res.body.interview;
      expectInterviewShape(interview);
      expect(interview).toEqual({
        id: expect.any(Number),
        amend_end_at: null,
        amend_start_at: null,
        amended_by: null,
        end_at: at(1, 30),
        interviewee: {
          id: interviewee.id,
          driver: { id: interviewee.driver.id, image: null, phone_number: '07554 311340', title: 'Howard Schiller' },
          kind: 'verified',
          updated_at: expect.stringMatching(ISO_MS),
        },
        interviewee_id: interviewee.id,
        interviewer: { id: interviewer.id, contact_phone_number: null, image: null, title: 'Jacob Bogisich' },
        interviewer_id: interviewer.id,
        kind: 'video_call',
        location: 'London',
        start_at: at(1),
        status: 'pending',
        config: DEFAULT_CONFIG,
        allowed_actions: ['amend', 'cancel', 'update_config'],
        version: 1,
        created_at: expect.stringMatching(ISO_MS),
        updated_at: expect.stringMatching(ISO_MS),
      });
      const rows = await t.dataSource.query(`SELECT status, version FROM interviews WHERE id = $1`, [interview.id]);
      expect(rows).toEqual([{ status: 'pending', version: 1 }]);
    });

    it('normalises a timestamp with an offset to UTC with milliseconds, and takes a config', async () => {
      const res = await create(interviewer.token, {
        interviewee_id: interviewee.id,
        start_at: '2030-01-03T14:00:00+01:00',
        end_at: '2030-01-03T14:45:00.5+01:00',
        kind: 'in_person',
        location: null,
        config: { interview_name: 'Driver screening', skills: [{ name: 'Driving' }], custom_question_list: [{ question: 'Why?' }] },
      });
      expect(res.status).toBe(201);
      expect(res.body.interview).toMatchObject({
        start_at: '2030-01-03T13:00:00.000Z',
        end_at: '2030-01-03T13:45:00.500Z',
        kind: 'in_person',
        location: null,
        config: {
          ...DEFAULT_CONFIG,
          interview_name: 'Driver screening',
          skills: [{ name: 'Driving' }],
          custom_question_list: [{ question: 'Why?', time: 2, type: 'audio' }],
        },
      });
      expectInterviewShape(res.body.interview);
    });

    it('accepts an interview of exactly 12 hours', async () => {
      const res = await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(200), end_at: at(212) });
      expect(res.status).toBe(201);
    });

    it('lets an admin create one naming interviewer_id', async () => {
      const other = await t.user('interviewer');
      const res = await create(admin, { interviewee_id: interviewee.id, interviewer_id: other.id, start_at: at(2), end_at: at(3) });
      expect(res.status).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      expectInterviewShape(res.body.interview);
      expect(res.body.interview).toMatchObject({ interviewer_id: other.id, interviewer: { id: other.id }, status: 'pending', version: 1 });
      // the admin acts for the interviewer side and may also accept and reject
      expect(res.body.interview.allowed_actions).toEqual(['accept', 'amend', 'reject', 'cancel', 'update_config']);
      // the named interviewer sees it as theirs
      const seen = await t.get(`/api/v1/interviews/${res.body.interview.id}`, { token: other.token });
      expect(seen.status).toBe(200);
      expect(seen.body.interview.allowed_actions).toEqual(['amend', 'cancel', 'update_config']);
    });

    it('refuses an admin create without interviewer_id with 400, and one naming a non-interviewer', async () => {
      const missing = await unchanged(() => create(admin, { interviewee_id: interviewee.id, start_at: at(4), end_at: at(5) }));
      expectError(missing, 400, 'validation_failed');
      expect(missing.body.error.details).toContainEqual({ field: 'interview.interviewer_id', message: expect.any(String) });
      const driverNamed = await unchanged(() =>
        create(admin, { interviewee_id: interviewee.id, interviewer_id: interviewee.driver.id, start_at: at(4), end_at: at(5) }),
      );
      expectError(driverNamed, 400, 'validation_failed');
      expect(driverNamed.body.error.details).toContainEqual({ field: 'interview.interviewer_id', message: expect.any(String) });
      const unknown = await unchanged(() =>
        create(admin, { interviewee_id: interviewee.id, interviewer_id: 987654321, start_at: at(4), end_at: at(5) }),
      );
      expectError(unknown, 400, 'validation_failed');
      expect(unknown.body.error.details).toContainEqual({ field: 'interview.interviewer_id', message: expect.any(String) });
    });

    it('answers 403 forbidden to a driver', async () => {
      const res = await unchanged(() => create(interviewee.driver.token, { interviewee_id: interviewee.id, start_at: at(6), end_at: at(7) }));
      expectError(res, 403, 'forbidden');
    });

    it('answers 403 forbidden to an interviewer naming another interviewer, and 201 when naming themself', async () => {
      const other = await t.user('interviewer');
      const res = await unchanged(() =>
        create(interviewer.token, { interviewee_id: interviewee.id, interviewer_id: other.id, start_at: at(6), end_at: at(7) }),
      );
      expectError(res, 403, 'forbidden');
      const self = await create(interviewer.token, { interviewee_id: interviewee.id, interviewer_id: interviewer.id, start_at: at(6), end_at: at(7) });
      expect(self.status).toBe(201);
      expect(self.body.interview.interviewer_id).toBe(interviewer.id);
    });

    it('answers 401 without a token', async () => {
      expectError(await unchanged(() => create('', { interviewee_id: interviewee.id, start_at: at(8), end_at: at(9) })), 401, 'unauthenticated');
    });

    describe('refuses bad input with 400 validation_failed, changing nothing', () => {
      const cases: [string, () => Record<string, unknown>, string][] = [
        ['a start in the past', () => ({ start_at: '2029-12-31T23:00:00Z', end_at: '2029-12-31T23:30:00Z' }), 'interview.start_at'],
        ['a start equal to now', () => ({ start_at: NOW, end_at: at(0, 30) }), 'interview.start_at'],
        ['an end before the start', () => ({ start_at: at(10), end_at: at(9, 30) }), 'interview.end_at'],
        ['an end equal to the start', () => ({ start_at: at(10), end_at: at(10) }), 'interview.end_at'],
        ['an interview longer than 12 hours', () => ({ start_at: at(10), end_at: at(22, 1) }), 'interview.end_at'],
        ['a timestamp without an offset', () => ({ start_at: '2030-01-22T13:22:54', end_at: '2030-01-22T13:42:54Z' }), 'interview.start_at'],
        ['an end_at without an offset', () => ({ start_at: '2030-01-22T13:22:54Z', end_at: '2030-01-22T13:42:54' }), 'interview.end_at'],
        ['a date that is not a timestamp', () => ({ start_at: 'tomorrow' }), 'interview.start_at'],
        ['kind "phone"', () => ({ kind: 'phone' }), 'interview.kind'],
        ['a missing interviewee_id', () => ({ interviewee_id: undefined }), 'interview.interviewee_id'],
        ['an unknown interviewee_id', () => ({ interviewee_id: 987654321 }), 'interview.interviewee_id'],
        ['a string interviewee_id', () => ({ interviewee_id: '1' }), 'interview.interviewee_id'],
        ['an unknown property "status"', () => ({ status: 'scheduled' }), 'interview.status'],
        ['an unknown property "version"', () => ({ version: 7 }), 'interview.version'],
        ['a config with 11 skills', () => ({ config: { skills: Array.from({ length: 11 }, (_, i) => ({ name: `skill ${i}` })) } }), 'interview.config.skills'],
        ['a config with an unknown property', () => ({ config: { is_admin: true } }), 'interview.config.is_admin'],
        ['a coding round without a coding language', () => ({ config: { only_coding_round: true } }), 'interview.config.selected_coding_language'],
        ['a location over 500 characters', () => ({ location: 'x'.repeat(501) }), 'interview.location'],
      ];

      it.each(cases)('%s', async (_, fields, field) => {
        const body = { interviewee_id: interviewee.id, start_at: at(10), end_at: at(11), ...fields() };
        const res = await unchanged(() => create(interviewer.token, body));
        expectError(res, 400, 'validation_failed');
        expect(res.body.error.details).toContainEqual({ field, message: expect.any(String) });
      });

      it('a body without the interview envelope', async () => {
        const res = await unchanged(() =>
          t.post('/api/v1/interviews', { token: interviewer.token, body: { interviewee_id: interviewee.id, start_at: at(10), end_at: at(11), kind: 'video_call' } }),
        );
        expectError(res, 400, 'validation_failed');
      });

      it('input is checked before state: a malformed request for a taken slot is a 400, not a 409', async () => {
        const taken = await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(30), end_at: at(31) });
        expect(taken.status).toBe(201);
        const res = await unchanged(() =>
          create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(30), end_at: at(31), status: 'pending' }),
        );
        expectError(res, 400, 'validation_failed');
      });
    });
  });

  describe('schedule conflicts', () => {
    let interviewee: Interviewee;
    beforeAll(async () => {
      interviewee = await t.interviewee();
    });

    it('answers 409 schedule_conflict to an overlapping live interview of the same interviewer, changing nothing', async () => {
      const interviewer = await t.user('interviewer');
      expect((await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(40), end_at: at(41) })).status).toBe(201);
      for (const [start, end] of [[at(40, 30), at(41, 30)], [at(39, 30), at(40, 1)], [at(40, 10), at(40, 20)], [at(39), at(42)]]) {
        const res = await unchanged(() => create(interviewer.token, { interviewee_id: interviewee.id, start_at: start, end_at: end }));
        expectError(res, 409, 'schedule_conflict');
      }
    });

    it('is half-open: one may start exactly when another ends, or end exactly when it starts', async () => {
      const interviewer = await t.user('interviewer');
      expect((await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(40), end_at: at(41) })).status).toBe(201);
      expect((await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(41), end_at: at(42) })).status).toBe(201);
      expect((await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(39), end_at: at(40) })).status).toBe(201);
    });

    it('does not hold another interviewer, nor the same interviewee, to the slot', async () => {
      const a = await t.user('interviewer');
      const b = await t.user('interviewer');
      expect((await create(a.token, { interviewee_id: interviewee.id, start_at: at(50), end_at: at(51) })).status).toBe(201);
      expect((await create(b.token, { interviewee_id: interviewee.id, start_at: at(50), end_at: at(51) })).status).toBe(201);
    });

    it('frees the slot once the interview is cancelled (only live interviews conflict)', async () => {
      const interviewer = await t.user('interviewer');
      const first = await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(60), end_at: at(61) });
      expect(first.status).toBe(201);
      expect((await t.post(`/api/v1/interviews/${first.body.interview.id}/cancel`, { token: interviewer.token })).status).toBe(200);
      expect((await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(60), end_at: at(61) })).status).toBe(201);
    });

    it('an admin booking a busy interviewer meets 409 schedule_conflict too', async () => {
      const interviewer = await t.user('interviewer');
      expect((await create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(70), end_at: at(71) })).status).toBe(201);
      const res = await unchanged(() =>
        create(admin, { interviewee_id: interviewee.id, interviewer_id: interviewer.id, start_at: at(70, 30), end_at: at(71, 30) }),
      );
      expectError(res, 409, 'schedule_conflict');
    });

    it('of eight parallel creates for one slot, exactly one wins (201) and seven get 409 schedule_conflict', async () => {
      const interviewer = await t.user('interviewer');
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          create(interviewer.token, { interviewee_id: interviewee.id, start_at: at(80), end_at: at(81), location: `room ${i}` }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const res of answers.filter((r) => r.status === 409)) expectError(res, 409, 'schedule_conflict');
      const winner = answers.find((r) => r.status === 201)!;

      const rows = await t.dataSource.query(`SELECT id::int AS id FROM interviews WHERE interviewer_id = $1`, [interviewer.id]);
      expect(rows).toEqual([{ id: winner.body.interview.id }]);
      const events = await t.dataSource.query(
        `SELECT v.type FROM interview_events v JOIN interviews i ON i.id = v.interview_id WHERE i.interviewer_id = $1`,
        [interviewer.id],
      );
      expect(events).toEqual([{ type: 'interview.created' }]);
    });
  });

  describe('GET /api/v1/interviews/:id', () => {
    let s: Awaited<ReturnType<TestApp['scenario']>>;
    beforeAll(async () => {
      s = await t.scenario({ inHours: 100 });
    });

    it('answers the interviewer, the driver and an admin with 200, the interview and its ETag', async () => {
      for (const [token, actions] of [
        [s.interviewer.token, ['amend', 'cancel', 'update_config']],
        [s.driver.token, ['accept', 'amend', 'reject']],
        [admin, ['accept', 'amend', 'reject', 'cancel', 'update_config']],
      ] as const) {
        const res = await t.get(`/api/v1/interviews/${s.interview.id}`, { token });
        expect(res.status).toBe(200);
        expect(res.headers.etag).toBe('"1"');
        expectInterviewShape(res.body.interview);
        expect(res.body.interview).toEqual({ ...s.interview, allowed_actions: actions });
      }
    });

    it('answers 404 not_found to an interviewer or a driver who takes no part in it', async () => {
      const strangerInterviewer = await t.user('interviewer');
      const strangerDriver = (await t.interviewee()).driver;
      for (const token of [strangerInterviewer.token, strangerDriver.token]) {
        const res = await t.get(`/api/v1/interviews/${s.interview.id}`, { token });
        expectError(res, 404, 'not_found');
        expect(res.headers.etag).toBeUndefined();
        // the same answer as for an interview that does not exist
        const missing = await t.get('/api/v1/interviews/987654321', { token });
        expect(missing.text).toBe(res.text);
      }
    });

    it('answers 401 without a token', async () => {
      expectError(await t.get(`/api/v1/interviews/${s.interview.id}`), 401, 'unauthenticated');
    });
  });

  describe('GET /api/v1/interviews', () => {
    // a window of days no other test in this file books in
    const day = (n: number, hour = 9) => at(24 * (1000 + n) + hour);
    const window = { from: day(0, 0), to: day(10, 0) };
    let interviewer: User;
    let other: User;
    let mine: Interviewee;
    let theirs: Interviewee;
    /** ids in start_at order */
    let ids: Record<string, number>;

    beforeAll(async () => {
      interviewer = await t.user('interviewer');
      other = await t.user('interviewer');
      mine = await t.interviewee();
      theirs = await t.interviewee();
      const make = async (token: string, intervieweeId: number, start: string, extra: Record<string, unknown> = {}) => {
        const res = await create(token, { interviewee_id: intervieweeId, start_at: start, end_at: new Date(Date.parse(start) + 1800_000).toISOString(), ...extra });
        if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
        return res.body.interview.id as number;
      };
      // created out of start order on purpose
      ids = {
        d3: await make(interviewer.token, mine.id, day(3)),
        d1: await make(interviewer.token, mine.id, day(1)),
        d5: await make(interviewer.token, theirs.id, day(5)),
        d2: await make(other.token, theirs.id, day(2)),
        d4: await make(admin, mine.id, day(4), { interviewer_id: other.id }),
        d6: await make(interviewer.token, mine.id, day(6)),
      };
      // d1 amended (a proposal by its interviewer; start_at stays), d6 cancelled
      const amend = await t.post(`/api/v1/interviews/${ids.d1}/amend`, {
        token: interviewer.token,
        body: { interview: { amend_start_at: day(1, 15), amend_end_at: day(1, 16) } },
      });
      expect(amend.status).toBe(200);
      expect((await t.post(`/api/v1/interviews/${ids.d6}/cancel`, { token: interviewer.token })).status).toBe(200);
    });

    const list = async (token: string, query: Record<string, string | number> = {}) => {
      const qs = new URLSearchParams(Object.entries({ ...window, ...query }).map(([k, v]): [string, string] => [k, String(v)]));
      return t.get(`/api/v1/interviews?${qs}`, { token });
    };
    const idsOf = (res: Response) => res.body.interviews.map((i: { id: number }) => i.id);

    it('shows an interviewer only their own interviews, ordered by start_at, with the meta', async () => {
      const res = await list(interviewer.token);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['interviews', 'meta']);
      expect(idsOf(res)).toEqual([ids.d1, ids.d3, ids.d5, ids.d6]);
      expect(res.body.meta).toEqual({ page: 1, per_page: 25, total: 4 });
      for (const interview of res.body.interviews) {
        expectInterviewShape(interview);
        expect(interview.interviewer_id).toBe(interviewer.id);
      }
      const starts = res.body.interviews.map((i: { start_at: string }) => i.start_at);
      expect(starts).toEqual([...starts].sort());
    });

    it('shows a driver only the interviews of their interviewee', async () => {
      const res = await list(mine.driver.token);
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual([ids.d1, ids.d3, ids.d4, ids.d6]);
      expect(res.body.meta.total).toBe(4);
      const byId = Object.fromEntries(res.body.interviews.map((i: { id: number; allowed_actions: string[] }) => [i.id, i.allowed_actions]));
      expect(byId[ids.d3]).toEqual(['accept', 'amend', 'reject']);
      expect(byId[ids.d6]).toEqual([]);
    });

    it('shows an admin every interview', async () => {
      const res = await list(admin);
      expect(res.status).toBe(200);
      expect(idsOf(res)).toEqual([ids.d1, ids.d2, ids.d3, ids.d4, ids.d5, ids.d6]);
      expect(res.body.meta).toEqual({ page: 1, per_page: 25, total: 6 });
    });

    it('shows a user with no interviews an empty page', async () => {
      const nobody = await t.user('interviewer');
      const res = await list(nobody.token);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ interviews: [], meta: { page: 1, per_page: 25, total: 0 } });
    });

    it('filters by status', async () => {
      expect(idsOf(await list(admin, { status: 'pending' }))).toEqual([ids.d2, ids.d3, ids.d4, ids.d5]);
      expect(idsOf(await list(admin, { status: 'amended' }))).toEqual([ids.d1]);
      expect(idsOf(await list(mine.driver.token, { status: 'amended' }))).toEqual([ids.d1]);
      expect(idsOf(await list(other.token, { status: 'amended' }))).toEqual([]);
      expect(idsOf(await list(interviewer.token, { status: 'cancelled' }))).toEqual([ids.d6]);
      const none = await list(admin, { status: 'completed' });
      expect(none.status).toBe(200);
      expect(none.body).toEqual({ interviews: [], meta: { page: 1, per_page: 25, total: 0 } });
    });

    it('filters by from (inclusive) and to (exclusive) on start_at', async () => {
      expect(idsOf(await list(admin, { from: day(2), to: day(5) }))).toEqual([ids.d2, ids.d3, ids.d4]);
      expect(idsOf(await list(admin, { from: day(4) }))).toEqual([ids.d4, ids.d5, ids.d6]);
      // an offset is honoured: 10:00+01:00 is day(2) itself, 09:00:01+00:00 is just after it
      const plusOne = day(2).replace('T09:00:00.000Z', 'T10:00:00+01:00');
      expect(idsOf(await list(admin, { from: plusOne, to: day(3) }))).toEqual([ids.d2]);
      const justAfter = day(2).replace('T09:00:00.000Z', 'T09:00:01+00:00');
      expect(idsOf(await list(admin, { from: justAfter, to: day(3) }))).toEqual([]);
      // to is exclusive: an interview starting exactly at `to` is left out
      expect(idsOf(await list(admin, { from: day(1), to: day(2) }))).toEqual([ids.d1]);
    });

    it('pages with page and per_page, reporting the total', async () => {
      const first = await list(admin, { per_page: 4 });
      expect(idsOf(first)).toEqual([ids.d1, ids.d2, ids.d3, ids.d4]);
      expect(first.body.meta).toEqual({ page: 1, per_page: 4, total: 6 });
      const second = await list(admin, { per_page: 4, page: 2 });
      expect(idsOf(second)).toEqual([ids.d5, ids.d6]);
      expect(second.body.meta).toEqual({ page: 2, per_page: 4, total: 6 });
      const beyond = await list(admin, { per_page: 4, page: 3 });
      expect(beyond.status).toBe(200);
      expect(beyond.body).toEqual({ interviews: [], meta: { page: 3, per_page: 4, total: 6 } });
      const edges = await list(admin, { per_page: 1, page: 6 });
      expect(idsOf(edges)).toEqual([ids.d6]);
      expect((await list(admin, { per_page: 100 })).status).toBe(200);
    });

    it.each([
      ['per_page 0', { per_page: 0 }, 'per_page'],
      ['per_page 101', { per_page: 101 }, 'per_page'],
      ['per_page "ten"', { per_page: 'ten' }, 'per_page'],
      ['page 0', { page: 0 }, 'page'],
      ['an unknown status', { status: 'archived' }, 'status'],
      ['a from without an offset', { from: '2032-09-27T00:00:00' }, 'from'],
      ['an unknown query parameter', { interviewer_id: 5 }, 'interviewer_id'],
    ])('answers %s with 400 validation_failed', async (_, query, field) => {
      const res = await list(admin, query as Record<string, string | number>);
      expectError(res, 400, 'validation_failed');
      expect(res.body.error.details).toContainEqual({ field, message: expect.any(String) });
    });
  });

  describe('the driver side, /api/v1/users/interviews', () => {
    let s: Awaited<ReturnType<TestApp['scenario']>>;
    let otherOfDriver: number;
    beforeAll(async () => {
      s = await t.scenario({ inHours: 300 });
      // the same driver, booked by another interviewer: also theirs
      const other = await t.user('interviewer');
      const res = await create(other.token, { interviewee_id: s.interviewee.id, start_at: at(310), end_at: at(311) });
      otherOfDriver = res.body.interview.id;
      // someone else's interview, in between
      await t.scenario({ inHours: 305 });
    });

    it("lists the signed-in driver's interviews, ordered by start_at", async () => {
      const res = await t.get('/api/v1/users/interviews', { token: s.driver.token });
      expect(res.status).toBe(200);
      expect(res.body.interviews.map((i: { id: number }) => i.id)).toEqual([s.interview.id, otherOfDriver]);
      expect(res.body.meta).toEqual({ page: 1, per_page: 25, total: 2 });
      for (const interview of res.body.interviews) {
        expectInterviewShape(interview);
        expect(interview.interviewee.driver.id).toBe(s.driver.id);
        expect(interview.allowed_actions).toEqual(['accept', 'amend', 'reject']);
      }
    });

    it('takes the same filters and paging, and refuses bad ones with 400', async () => {
      const res = await t.get('/api/v1/users/interviews?per_page=1&page=2&status=pending', { token: s.driver.token });
      expect(res.status).toBe(200);
      expect(res.body.interviews.map((i: { id: number }) => i.id)).toEqual([otherOfDriver]);
      expect(res.body.meta).toEqual({ page: 2, per_page: 1, total: 2 });
      expectError(await t.get('/api/v1/users/interviews?per_page=101', { token: s.driver.token }), 400, 'validation_failed');
      expectError(await t.get('/api/v1/users/interviews?status=done', { token: s.driver.token }), 400, 'validation_failed');
    });

    it('shows one of them with its ETag', async () => {
      const res = await t.get(`/api/v1/users/interviews/${s.interview.id}`, { token: s.driver.token });
      expect(res.status).toBe(200);
      expect(res.headers.etag).toBe('"1"');
      expectInterviewShape(res.body.interview);
      expect(res.body.interview).toEqual({ ...s.interview, allowed_actions: ['accept', 'amend', 'reject'] });
    });

    it('answers 404 to a driver for an interview that is not theirs', async () => {
      const stranger = (await t.interviewee()).driver;
      expectError(await t.get(`/api/v1/users/interviews/${s.interview.id}`, { token: stranger.token }), 404, 'not_found');
      const empty = await t.get('/api/v1/users/interviews', { token: stranger.token });
      expect(empty.body).toEqual({ interviews: [], meta: { page: 1, per_page: 25, total: 0 } });
    });

    it('reads an interview the driver accepted (POST /:id/accept, no body) as scheduled, under status=scheduled', async () => {
      const own = await t.scenario({ inHours: 350 });
      const accepted = await t.post(`/api/v1/users/interviews/${own.interview.id}/accept`, { token: own.driver.token });
      expect({ status: accepted.status, body: accepted.body }).toEqual({
        status: 200,
        body: { interview: expect.objectContaining({ id: own.interview.id, status: 'scheduled', version: 2 }) },
      });
      const listed = await t.get('/api/v1/users/interviews?status=scheduled', { token: own.driver.token });
      expect(listed.body.interviews.map((i: { id: number; status: string }) => [i.id, i.status])).toEqual([[own.interview.id, 'scheduled']]);
      const shown = await t.get(`/api/v1/interviews/${own.interview.id}`, { token: own.interviewer.token });
      expect(shown.headers.etag).toBe('"2"');
      expect(shown.body.interview.status).toBe('scheduled');
    });

    it('answers 403 forbidden to an interviewer, even the interview\'s own, and to an admin', async () => {
      for (const token of [s.interviewer.token, admin]) {
        expectError(await t.get('/api/v1/users/interviews', { token }), 403, 'forbidden');
        expectError(await t.get(`/api/v1/users/interviews/${s.interview.id}`, { token }), 403, 'forbidden');
      }
    });
  });

  describe('GET /api/v1/interviews/:id/events', () => {
    it('after a create, lists one interview.created event with the acting user', async () => {
      const s = await t.scenario({ inHours: 400 });
      const res = await t.get(`/api/v1/interviews/${s.interview.id}/events`, { token: s.interviewer.token });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['events']);
      expect(res.body.events).toHaveLength(1);
      const [event] = res.body.events;
      expect(Object.keys(event)).toEqual(['id', 'type', 'interview_id', 'occurred_at', 'actor', 'data']);
      expect(event).toEqual({
        id: expect.any(Number),
        type: 'interview.created',
        interview_id: s.interview.id,
        occurred_at: NOW,
        actor: { type: 'user', id: s.interviewer.id, role: 'interviewer' },
        data: expect.objectContaining({ start_at: s.start.toISOString(), end_at: s.end.toISOString(), status: 'pending' }),
      });
      expect(await eventsOf(s.interview.id)).toEqual([{ type: 'interview.created' }]);
    });

    it('records an admin as the actor when an admin creates', async () => {
      const interviewer = await t.user('interviewer');
      const interviewee = await t.interviewee();
      const created = await create(admin, { interviewee_id: interviewee.id, interviewer_id: interviewer.id, start_at: at(420), end_at: at(421) });
      expect(created.status).toBe(201);
      const adminId = (await t.get('/api/v1/me', { token: admin })).body.user.id;
      const res = await t.get(`/api/v1/interviews/${created.body.interview.id}/events`, { token: interviewer.token });
      expect(res.status).toBe(200);
      expect(res.body.events.map((e: { type: string; actor: unknown }) => [e.type, e.actor])).toEqual([
        ['interview.created', { type: 'user', id: adminId, role: 'admin' }],
      ]);
    });

    it('shows the events to the driver and an admin, and answers 404 to a stranger', async () => {
      const s = await t.scenario({ inHours: 410 });
      for (const token of [s.driver.token, admin]) {
        const res = await t.get(`/api/v1/interviews/${s.interview.id}/events`, { token });
        expect(res.status).toBe(200);
        expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(['interview.created']);
      }
      const stranger = await t.user('interviewer');
      expectError(await t.get(`/api/v1/interviews/${s.interview.id}/events`, { token: stranger.token }), 404, 'not_found');
    });
  });
});
