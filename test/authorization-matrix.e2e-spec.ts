import { randomUUID } from 'node:crypto';
import { Response, TestApp, TestClock } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * OWASP API1 (broken object-level authorization) and API5 (broken function-level authorization):
 * one declared table of route × principal → status, walked against the whole app.
 *
 * API.md: participants see their interview, anyone else signed in gets 404 (its existence is not
 * revealed); a participant who may not take an action gets 403; a role-restricted route gives 403
 * to the other roles; the wrong kind of credential is a 401 (a Bearer token on the public API, an
 * API key on /api/v1 — except the event feed, which admits admins and API keys).
 *
 * Every state-changing cell gets a resource of its own (an interview in the state the row names, a
 * webhook, an API key), built in bulk before the walk, so that a cell's answer reflects who asks and
 * nothing that an earlier cell did. Every refused cell must also leave the core tables untouched.
 */

type Principal = 'admin' | 'interviewer' | 'otherInterviewer' | 'driver' | 'otherDriver' | 'apiKey' | 'anonymous';
/** A second API key, only on the routes where keys own or see things. */
type Extra = 'otherApiKey';
type Who = Principal | Extra;

/**
 * What a cell's `:id` (and `:delivery_id`) stand for.
 * - none: the route has no id; slot: the route books a new interview (each cell its own time slot)
 * - shared: one pending interview every read cell looks at
 * - pending | amendedByInterviewer | amendedByDriver | started (scheduled, start_at passed):
 *   a fresh interview per cell, in that state
 * - sharedWebhook | freshWebhook (an admin's) | keyWebhook (made by `apiKey` through POST /webhook)
 * - freshApiKey: a key of its own to revoke; delivery: a webhook with one delivery to redeliver
 */
type Fixture =
  | 'none'
  | 'slot'
  | 'shared'
  | 'pending'
  | 'amendedByInterviewer'
  | 'amendedByDriver'
  | 'started'
  | 'sharedWebhook'
  | 'freshWebhook'
  | 'keyWebhook'
  | 'freshApiKey'
  | 'delivery';

interface Row {
  route: string;
  fixture: Fixture;
  expect: Record<Principal, number> & Partial<Record<Extra, number>>;
}

// prettier-ignore
const MATRIX: Row[] = [
  // ---- the user API: interviews ------------------------------------------------------------------------------------------------------------------------------
  { route: 'POST /api/v1/interviews',                              fixture: 'slot',                 expect: { admin: 201, interviewer: 201, otherInterviewer: 201, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/interviews',                               fixture: 'none',                 expect: { admin: 200, interviewer: 200, otherInterviewer: 200, driver: 200, otherDriver: 200, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/interviews/:id',                           fixture: 'shared',               expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/interviews/:id/events',                    fixture: 'shared',               expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/amend',                    fixture: 'pending',              expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/accept',                   fixture: 'pending',              expect: { admin: 200, interviewer: 403, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/accept',                   fixture: 'amendedByInterviewer', expect: { admin: 200, interviewer: 403, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/accept',                   fixture: 'amendedByDriver',      expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/decline_amendment',        fixture: 'amendedByInterviewer', expect: { admin: 200, interviewer: 403, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/decline_amendment',        fixture: 'amendedByDriver',      expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/reject',                   fixture: 'pending',              expect: { admin: 200, interviewer: 403, otherInterviewer: 404, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/cancel',                   fixture: 'pending',              expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/complete',                 fixture: 'started',              expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/interviews/:id/no_show',                  fixture: 'started',              expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  // role-restricted to interviewer and admin: a driver is refused by role (403) before the interview is looked at
  { route: 'PUT /api/v1/interviews/:id/config',                    fixture: 'pending',              expect: { admin: 200, interviewer: 200, otherInterviewer: 404, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },

  // ---- the user API: the driver app's routes (role driver) ------------------------------------------------------------------------------------------------------
  { route: 'GET /api/v1/users/interviews',                         fixture: 'none',                 expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 200, otherDriver: 200, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/users/interviews/:id',                     fixture: 'shared',               expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/users/interviews/:id/accept',             fixture: 'pending',              expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/users/interviews/:id/accept',             fixture: 'amendedByDriver',      expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/users/interviews/:id/reject',             fixture: 'pending',              expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/users/interviews/:id/amend',              fixture: 'pending',              expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/users/interviews/:id/decline_amendment',  fixture: 'amendedByInterviewer', expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 200, otherDriver: 404, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/users/interviews/:id/decline_amendment',  fixture: 'amendedByDriver',      expect: { admin: 403, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 404, apiKey: 401, anonymous: 401 } },

  // ---- the user API: account and event feed (admins and API keys) ------------------------------------------------------------------------------------------------
  { route: 'GET /api/v1/me',                                       fixture: 'none',                 expect: { admin: 200, interviewer: 200, otherInterviewer: 200, driver: 200, otherDriver: 200, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/events',                                   fixture: 'none',                 expect: { admin: 200, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 200, anonymous: 401 } },

  // ---- administration (role admin) -----------------------------------------------------------------------------------------------------------------------------
  { route: 'POST /api/v1/admin/users',                             fixture: 'none',                 expect: { admin: 201, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/admin/interviewees',                      fixture: 'none',                 expect: { admin: 201, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/admin/api_keys',                          fixture: 'none',                 expect: { admin: 201, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/admin/api_keys',                           fixture: 'none',                 expect: { admin: 200, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'DELETE /api/v1/admin/api_keys/:id',                    fixture: 'freshApiKey',          expect: { admin: 204, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/admin/webhooks',                          fixture: 'none',                 expect: { admin: 201, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/admin/webhooks',                           fixture: 'none',                 expect: { admin: 200, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/admin/webhooks/:id',                       fixture: 'sharedWebhook',        expect: { admin: 200, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'PATCH /api/v1/admin/webhooks/:id',                     fixture: 'freshWebhook',         expect: { admin: 200, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'DELETE /api/v1/admin/webhooks/:id',                    fixture: 'freshWebhook',         expect: { admin: 204, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'GET /api/v1/admin/webhooks/:id/deliveries',            fixture: 'sharedWebhook',        expect: { admin: 200, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },
  { route: 'POST /api/v1/admin/webhooks/:id/deliveries/:delivery_id/redeliver', fixture: 'delivery', expect: { admin: 202, interviewer: 403, otherInterviewer: 403, driver: 403, otherDriver: 403, apiKey: 401, anonymous: 401 } },

  // ---- the public API (x-api-key only; a Bearer token is the wrong credential) --------------------------------------------------------------------------------------
  { route: 'GET /interview/:id',                                   fixture: 'shared',               expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 200 } },
  { route: 'PUT /interview/:id',                                   fixture: 'pending',              expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 200 } },
  { route: 'GET /interviews',                                      fixture: 'none',                 expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 200 } },
  { route: 'POST /webhook',                                        fixture: 'none',                 expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 200 } },
  { route: 'GET /webhooks',                                        fixture: 'none',                 expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 200 } },
  // each key manages only the webhooks it made: another key gets 404
  { route: 'PUT /webhook/:id',                                     fixture: 'keyWebhook',           expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 404 } },
  { route: 'DELETE /webhook/:id',                                  fixture: 'keyWebhook',           expect: { admin: 401, interviewer: 401, otherInterviewer: 401, driver: 401, otherDriver: 401, apiKey: 200, anonymous: 401, otherApiKey: 404 } },
];

interface Cell {
  n: number;
  route: string;
  method: string;
  path: string;
  fixture: Fixture;
  who: Who;
  status: number;
}

const CELLS: Cell[] = MATRIX.flatMap((row) =>
  (Object.entries(row.expect) as [Who, number][]).map(([who, status]) => {
    const [method, path] = row.route.split(' ');
    return { route: row.route, method, path, fixture: row.fixture, who, status };
  }),
).map((cell, n) => ({ n, ...cell }));

const FRESH_INTERVIEW: readonly Fixture[] = ['pending', 'amendedByInterviewer', 'amendedByDriver', 'started'];

/** The clock stands still at BASE while the pool is built; interviews in state `started` begin soon after it. */
const BASE = Date.parse('2032-06-01T08:00:00.000Z');
const H = 3600_000;
/** When the table is walked: past every `started` interview's start, before every other interview's. */
const WALK_AT = BASE + 3 * 24 * H;
/** Later interviews start a week after BASE, two hours apart, half an hour long; a proposal moves one by an hour. */
const LATER = BASE + 7 * 24 * H;
/** Webhook targets never receive anything here (the relay does not run; the subscriptions are inactive). */
const HOOK_URL = 'http://127.0.0.1:9/matrix-hook';
const PASSWORD = 'a-test-password';

const STACK_OR_SQL = /(\bat \S+ \(|\bat \/|SELECT\b|INSERT\b|QueryFailedError|node_modules|\.ts:\d+)/;
const USER_API_CODE: Record<number, string> = { 400: 'validation_failed', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

const iso = (ms: number) => new Date(ms).toISOString();
const isPublic = (path: string) => /^\/(interview|interviews|webhook|webhooks)(\/|$)/.test(path);

type User = { id: number; token: string };
interface Pair {
  interviewer: User;
  interviewee: { id: number; driver: User };
}
interface InterviewRef {
  id: number;
  start: number;
  pair: Pair;
}
interface Context {
  pair: Pair;
  interview?: InterviewRef;
  slot?: number;
  id?: number;
  deliveryId?: number;
}

describe('authorization matrix: route × principal → status (OWASP API1, API5)', () => {
  let t: TestApp;
  let admin: User;
  let pairs: Pair[];
  let otherInterviewer: User;
  let other: { id: number; driver: User };
  let apiKey: string;
  let otherApiKey: string;
  let spareDriverId: number;
  let shared: InterviewRef;
  let outsiders: InterviewRef;
  const contexts = new Map<number, Context>();
  /** Every interview of the pool, with its participants, for the list checks. */
  const pool: InterviewRef[] = [];

  let nextSlot = 0;
  const takeSlot = () => nextSlot++;
  const slotStart = (slot: number) => LATER + slot * 2 * H;

  async function must(res: Promise<Response>, status: number, what: string): Promise<Response> {
    const answer = await res;
    if (answer.status !== status) throw new Error(`${what}: expected ${status}, got ${answer.status} ${answer.text}`);
    return answer;
  }

  async function book(pair: Pair, start: number): Promise<InterviewRef> {
    const res = await must(
      t.post('/api/v1/interviews', {
        token: pair.interviewer.token,
        body: { interview: { interviewee_id: pair.interviewee.id, start_at: iso(start), end_at: iso(start + 30 * 60_000), kind: 'video_call', location: 'London' } },
      }),
      201,
      'booking an interview',
    );
    const ref = { id: res.body.interview.id as number, start, pair };
    pool.push(ref);
    return ref;
  }

  const proposalFor = (ref: InterviewRef) => ({ interview: { amend_start_at: iso(ref.start + H), amend_end_at: iso(ref.start + H + 30 * 60_000) } });

  /** A fresh interview of `pair`, brought into `state` through the API. */
  async function interviewIn(state: Fixture, pair: Pair, startedIndex: number): Promise<InterviewRef> {
    const start = state === 'started' ? BASE + H + startedIndex * 2 * H : slotStart(takeSlot());
    const ref = await book(pair, start);
    const url = `/api/v1/interviews/${ref.id}`;
    if (state === 'started') await must(t.post(`${url}/accept`, { token: pair.interviewee.driver.token }), 200, 'accepting');
    if (state === 'amendedByInterviewer') await must(t.post(`${url}/amend`, { token: pair.interviewer.token, body: proposalFor(ref) }), 200, 'amending');
    if (state === 'amendedByDriver') await must(t.post(`${url}/amend`, { token: pair.interviewee.driver.token, body: proposalFor(ref) }), 200, 'amending');
    return ref;
  }

  async function adminWebhook(): Promise<number> {
    const res = await must(
      t.post('/api/v1/admin/webhooks', { token: await t.admin(), body: { webhook: { url: HOOK_URL, events: ['*'], active: false } } }),
      201,
      'creating a webhook',
    );
    return res.body.webhook.id;
  }

  async function keyWebhook(): Promise<number> {
    const res = await must(t.post('/webhook', { headers: { 'x-api-key': apiKey }, body: { url: HOOK_URL, events: ['*'], active: false } }), 200, 'creating a key webhook');
    return res.body.data.id;
  }

  async function newApiKey(name: string): Promise<{ id: number; key: string }> {
    const res = await must(t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name } } }), 201, 'creating a key');
    return { id: res.body.api_key.id, key: res.body.api_key.key };
  }

  async function inBatches<T>(jobs: (() => Promise<T>)[], size = 12): Promise<T[]> {
    const results: T[] = [];
    for (let i = 0; i < jobs.length; i += size) results.push(...(await Promise.all(jobs.slice(i, i + size).map((job) => job()))));
    return results;
  }

  beforeAll(async () => {
    t = await TestApp.start(AppModule, { clock: new TestClock(new Date(BASE)) });
    await t.admin();
    // Four interviewer/driver pairs share the pool (creating users hashes passwords, which is slow),
    // and the outsiders: an interviewer and a driver who take part in none of it.
    const people = await Promise.all([
      t.user('admin'),
      ...[0, 1, 2, 3].map(async () => ({ interviewer: await t.user('interviewer'), interviewee: await t.interviewee() })),
      t.user('interviewer'),
      t.interviewee(),
      t.user('driver'),
      newApiKey('matrix'),
      newApiKey('matrix-other'),
    ]);
    admin = people[0] as User;
    pairs = people.slice(1, 5) as Pair[];
    otherInterviewer = people[5] as User;
    other = people[6] as { id: number; driver: User };
    spareDriverId = (people[7] as User).id;
    apiKey = (people[8] as { key: string }).key;
    otherApiKey = (people[9] as { key: string }).key;

    shared = await book(pairs[0], slotStart(takeSlot()));
    // The outsiders have an interview of their own, so that their lists are not trivially empty.
    outsiders = await book({ interviewer: otherInterviewer, interviewee: other }, slotStart(takeSlot()));
    const sharedWebhook = await adminWebhook();
    // One delivery to redeliver (the relay does not run in this test, so none is made by itself).
    const [event] = await t.dataSource.query(`SELECT id FROM interview_events WHERE interview_id = $1 ORDER BY id LIMIT 1`, [shared.id]);
    const [delivery] = await t.dataSource.query(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, interview_id, status, attempts) VALUES ($1, $2, $3, 'failed', 1) RETURNING id`,
      [sharedWebhook, event.id, shared.id],
    );

    let started = 0;
    const jobs = CELLS.map((cell) => async () => {
      const pair = pairs[cell.n % pairs.length];
      const context: Context = { pair };
      if (cell.fixture === 'shared') Object.assign(context, { pair: shared.pair, interview: shared });
      else if (FRESH_INTERVIEW.includes(cell.fixture)) {
        const interview = await interviewIn(cell.fixture, pair, cell.fixture === 'started' ? started++ : 0);
        Object.assign(context, { interview });
      } else if (cell.fixture === 'slot') context.slot = takeSlot();
      else if (cell.fixture === 'sharedWebhook') context.id = sharedWebhook;
      else if (cell.fixture === 'delivery') Object.assign(context, { id: sharedWebhook, deliveryId: Number(delivery.id) });
      else if (cell.fixture === 'freshWebhook') context.id = await adminWebhook();
      else if (cell.fixture === 'keyWebhook') context.id = await keyWebhook();
      else if (cell.fixture === 'freshApiKey') context.id = (await newApiKey(`revoke-${cell.n}`)).id;
      contexts.set(cell.n, context);
    });
    await inBatches(jobs);
    // Past every `started` interview's start; before every other interview's.
    t.clock.set(new Date(WALK_AT));
  }, 120_000);
  afterAll(() => t?.close());

  function credentials(who: Who, context: Context): { token?: string; headers?: Record<string, string> } {
    switch (who) {
      case 'admin':
        return { token: admin.token };
      case 'interviewer':
        return { token: context.pair.interviewer.token };
      case 'driver':
        return { token: context.pair.interviewee.driver.token };
      case 'otherInterviewer':
        return { token: otherInterviewer.token };
      case 'otherDriver':
        return { token: other.driver.token };
      case 'apiKey':
        return { headers: { 'x-api-key': apiKey } };
      case 'otherApiKey':
        return { headers: { 'x-api-key': otherApiKey } };
      case 'anonymous':
        return {};
    }
  }

  /** A valid body for the route, so that the answer is about who asks, not about the input. */
  function bodyFor(cell: Cell, context: Context): unknown {
    switch (cell.route) {
      case 'POST /api/v1/interviews': {
        const start = slotStart(context.slot!);
        const interview: Record<string, unknown> = {
          interviewee_id: context.pair.interviewee.id,
          start_at: iso(start),
          end_at: iso(start + 30 * 60_000),
          kind: 'video_call',
          location: 'London',
        };
        if (cell.who === 'admin') interview.interviewer_id = context.pair.interviewer.id;
        return { interview };
      }
      case 'POST /api/v1/interviews/:id/amend':
      case 'POST /api/v1/users/interviews/:id/amend':
        return proposalFor(context.interview!);
      case 'POST /api/v1/interviews/:id/cancel':
        return { interview: { reason: 'matrix' } };
      case 'PUT /api/v1/interviews/:id/config':
      case 'PUT /interview/:id':
        return { interview_language: 'de', interview_name: 'Matrix check' };
      case 'POST /api/v1/admin/users':
        return { user: { email: `matrix-${randomUUID()}@test.example`, password: PASSWORD, role: 'interviewer', title: 'Matrix User' } };
      case 'POST /api/v1/admin/interviewees':
        return { interviewee: { driver_id: spareDriverId, kind: 'verified' } };
      case 'POST /api/v1/admin/api_keys':
        return { api_key: { name: `matrix-${cell.n}` } };
      case 'POST /api/v1/admin/webhooks':
        return { webhook: { url: HOOK_URL, events: ['*'], active: false } };
      case 'PATCH /api/v1/admin/webhooks/:id':
        return { webhook: { events: ['interview.created'] } };
      case 'POST /webhook':
        return { url: HOOK_URL, events: ['*'], active: false };
      case 'PUT /webhook/:id':
        return { events: ['interview.created'] };
      default:
        return undefined;
    }
  }

  function urlFor(cell: Cell, context: Context): string {
    const id = context.interview?.id ?? context.id;
    let url = cell.path;
    if (url.includes(':id')) url = url.replace(':id', String(id));
    if (url.includes(':delivery_id')) url = url.replace(':delivery_id', String(context.deliveryId));
    return url;
  }

  it('covers every route /docs-json lists for interviews, the driver app, events, administration and the public API', async () => {
    const res = await t.get('/docs-json');
    expect(res.status).toBe(200);
    const inScope = /^\/(api\/v1\/(interviews|users\/interviews|events|me|admin\/(users|interviewees|api_keys|webhooks))|interview|interviews|webhook|webhooks)(\/|$)/;
    const served = Object.entries(res.body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
          .map((method) => `${method.toUpperCase()} ${path.replace(/\{(id|interviewId)\}/g, ':id').replace('{delivery_id}', ':delivery_id')}`),
      )
      .filter((route) => inScope.test(route.split(' ')[1]));
    const declared = new Set(MATRIX.map((row) => row.route));
    expect(served.filter((route) => !declared.has(route))).toEqual([]);
    expect([...declared].filter((route) => !served.includes(route))).toEqual([]);
  });

  it.each(CELLS.map((cell) => [`${cell.route} [${cell.fixture}] as ${cell.who} → ${cell.status}`, cell] as const))('%s', async (_, cell) => {
    const context = contexts.get(cell.n)!;
    const refused = cell.status >= 400;
    const before = refused ? await t.snapshot() : '';
    const res = await t.request(cell.method, urlFor(cell, context), { ...credentials(cell.who, context), body: bodyFor(cell, context) });

    // the body is shown only when the status is not the one the table expects
    expect({ status: res.status, body: res.status === cell.status ? '' : res.text }).toEqual({ status: cell.status, body: '' });
    expect(res.text).not.toMatch(STACK_OR_SQL);
    if (refused) {
      if (isPublic(cell.path)) {
        expect(res.body).toEqual({ status: false, message: cell.status === 401 ? 'Invalid API key' : expect.any(String) });
      } else {
        expect(res.body?.error?.code).toBe(USER_API_CODE[cell.status]);
      }
      expect(await t.snapshot()).toBe(before);
    }
  });

  describe('lists never contain interviews of others', () => {
    type Listed = { id: number; interviewer_id: number; interviewee: { driver: { id: number } } };

    async function everyPage(url: string, token: string): Promise<Listed[]> {
      const all: Listed[] = [];
      for (let page = 1; ; page++) {
        const res = await t.get(`${url}?per_page=100&page=${page}`, { token });
        expect(res.status).toBe(200);
        all.push(...res.body.interviews);
        if (page * 100 >= res.body.meta.total) return all;
      }
    }

    const mine = (userId: number) => (i: Listed) => i.interviewer_id === userId || i.interviewee.driver.id === userId;

    it('GET /api/v1/interviews as another interviewer or driver lists only their own interviews, never the pool', async () => {
      for (const [user, url] of [
        [otherInterviewer, '/api/v1/interviews'],
        [other.driver, '/api/v1/interviews'],
        [other.driver, '/api/v1/users/interviews'],
      ] as const) {
        const listed = await everyPage(url, user.token);
        expect(listed.map((i) => i.id)).toContain(outsiders.id);
        expect(listed.filter((i) => !mine(user.id)(i))).toEqual([]);
        const ids = new Set(listed.map((i) => i.id));
        for (const ref of pool) {
          const theirs = ref.pair.interviewer.id === user.id || ref.pair.interviewee.driver.id === user.id;
          if (!theirs) expect(ids.has(ref.id)).toBe(false);
        }
        expect(ids.has(shared.id)).toBe(false);
      }
    });

    it("GET /api/v1/interviews and /api/v1/users/interviews as the participants list the interview and nothing of anyone else's", async () => {
      const { interviewer, interviewee } = shared.pair;
      for (const [user, url] of [
        [interviewer, '/api/v1/interviews'],
        [interviewee.driver, '/api/v1/interviews'],
        [interviewee.driver, '/api/v1/users/interviews'],
      ] as const) {
        const listed = await everyPage(url, user.token);
        expect(listed.map((i) => i.id)).toContain(shared.id);
        expect(listed.map((i) => i.id)).not.toContain(outsiders.id);
        expect(listed.filter((i) => !mine(user.id)(i))).toEqual([]);
      }
    });

    it('GET /api/v1/interviews filtered by status leaks nothing either', async () => {
      for (const status of ['pending', 'scheduled', 'amended', 'cancelled', 'rejected', 'completed', 'no_show']) {
        const res = await t.get(`/api/v1/interviews?status=${status}&per_page=100`, { token: otherInterviewer.token });
        expect(res.status).toBe(200);
        expect(res.body.interviews.filter((i: Listed) => !mine(otherInterviewer.id)(i))).toEqual([]);
      }
    });
  });
});
