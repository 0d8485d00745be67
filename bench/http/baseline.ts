/**
 * The raw floor of `npm run bench`: the cheapest implementation of the four benchmarked operations
 * that still does the service's work per request — `node:http` and `pg`, no framework, no ORM, no
 * logging, no metrics. Each request verifies its JWT (HS256, exp, the user and the jti's revocation
 * in one query) or API key, validates its input, and for a change runs BEGIN, `SELECT … FOR UPDATE`,
 * the status rule (the domain's own transition table: pure functions), the versioned UPDATE, the
 * event row under the event-log lock, COMMIT, then the joined read, and answers the same JSON with the
 * same headers. Its answers are checked against the service's before every run. Its read statements
 * are the service's own (interview-view.sql.ts, plain text), and its event rows take the same
 * event-log lock (the insert trigger): the comparison is of everything around the SQL.
 *
 * PORT, DATABASE_URL and JWT_SECRET come from the environment. Start: node bench/run-ts.cjs bench/http/baseline.ts
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { Pool, PoolClient } from 'pg';
import {
  canonicalConfig,
  changedFields,
  codingRoundProblem,
  INTERVIEW_LANGUAGES,
  mergeConfig,
  type InterviewConfig,
} from '../../libs/interviews/src/domain/interview-config';
import { sideOf } from '../../libs/interviews/src/domain/actor';
import { allowedActions, decide, type InterviewStatus, type Side } from '../../libs/interviews/src/domain/transitions';
import type { Visibility } from '../../libs/interviews/src/application/ports/interview-read-model';
import { countStatement, findOneStatement, listStatement } from '../../libs/interviews/src/infrastructure/interview-view.sql';

const SECRET = process.env.JWT_SECRET ?? '';
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, statement_timeout: 5000 } as never);
const MAX_DURATION_MS = 12 * 3600 * 1000;

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-frame-options': 'SAMEORIGIN',
  'x-xss-protection': '0',
  'x-content-type-options': 'nosniff',
  'x-permitted-cross-domain-policies': 'none',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

type User = { type: 'user'; id: string; role: 'interviewer' | 'driver' | 'admin' };
type Caller = User | { type: 'api_key'; id: string };

class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}
const fail = (status: number, code: string, message: string) => new Answer(status, { error: { code, message } });

// ---------------------------------------------------------------------------------------------- auth

const USER_ID = /^[1-9][0-9]{0,18}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function user(req: IncomingMessage): Promise<User | null> {
  const header = req.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) return null;
  const parts = header.slice(7).split('.');
  if (parts.length !== 3) return null;
  let head: { alg?: unknown };
  let claims: { sub?: unknown; scp?: unknown; jti?: unknown; exp?: unknown; nbf?: unknown };
  try {
    head = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  } catch {
    return null;
  }
  if (head.alg !== 'HS256') return null;
  const expected = createHmac('sha256', SECRET).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const now = Date.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= now) return null;
  if (typeof claims.nbf === 'number' && claims.nbf > now) return null;
  const { sub, scp, jti } = claims;
  if (scp !== 'user' || typeof sub !== 'string' || !USER_ID.test(sub) || typeof jti !== 'string' || !UUID.test(jti)) return null;
  const { rows } = await pool.query(
    `SELECT u.role, EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $2) AS revoked FROM users u WHERE u.id = $1`,
    [sub, jti],
  );
  if (rows.length === 0 || rows[0].revoked) return null;
  return { type: 'user', id: sub, role: rows[0].role };
}

const KEY = /^ik_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$/;
const DECOY = createHash('sha256').update(randomUUID()).digest();

async function apiKey(req: IncomingMessage): Promise<Caller | null> {
  const presented = req.headers['x-api-key'];
  if (typeof presented !== 'string') return null;
  const match = KEY.exec(presented);
  const { rows } = match
    ? await pool.query(`SELECT id::text, secret_sha256, revoked_at FROM api_keys WHERE prefix = $1`, [match[1]])
    : { rows: [] };
  const row = rows[0];
  const equal = timingSafeEqual(createHash('sha256').update(presented).digest(), row?.secret_sha256 ?? DECOY);
  return row && equal && !row.revoked_at ? { type: 'api_key', id: row.id } : null;
}

const visibilityOf = (viewer: User): Visibility => (viewer.role === 'admin' ? { all: true } : { all: false, userId: viewer.id });

// ---------------------------------------------------------------------------------------------- reads

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

function present(row: Row, viewer: User, now: Date) {
  const side = sideOf(viewer, { interviewerId: row.interviewerId, driverId: row.driverId });
  return {
    id: Number(row.id),
    amend_end_at: row.amendEndAt ? row.amendEndAt.toISOString() : null,
    amend_start_at: row.amendStartAt ? row.amendStartAt.toISOString() : null,
    amended_by: row.amendedBy,
    end_at: row.endAt.toISOString(),
    interviewee: {
      id: Number(row.intervieweeId),
      driver: { id: Number(row.driverId), image: row.driverImage, phone_number: row.driverPhoneNumber, title: row.driverTitle },
      kind: row.intervieweeKind,
      updated_at: row.intervieweeUpdatedAt.toISOString(),
    },
    interviewee_id: Number(row.intervieweeId),
    interviewer: {
      id: Number(row.interviewerId),
      contact_phone_number: row.interviewerContactPhoneNumber,
      image: row.interviewerImage,
      title: row.interviewerTitle,
    },
    interviewer_id: Number(row.interviewerId),
    kind: row.kind,
    location: row.location,
    start_at: row.startAt.toISOString(),
    status: row.status,
    config: canonicalConfig(row.config),
    allowed_actions: side ? allowedActions(side, { status: row.status, amendedBy: row.amendedBy, startAt: row.startAt, now }) : [],
    version: row.version,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

async function readOne(id: string, viewer: User, res: ServerResponse): Promise<Answer> {
  const { text, params } = findOneStatement(id, visibilityOf(viewer));
  const { rows } = await pool.query(text, params);
  if (rows.length === 0) return fail(404, 'not_found', 'interview not found');
  res.setHeader('etag', `"${rows[0].version}"`);
  return new Answer(200, { interview: present(rows[0], viewer, new Date()) });
}

async function list(query: URLSearchParams, viewer: User): Promise<Answer> {
  const page = query.has('page') ? Number(query.get('page')) : 1;
  const perPage = query.has('per_page') ? Number(query.get('per_page')) : 25;
  if (!Number.isInteger(page) || page < 1 || page > 1_000_000) return fail(400, 'validation_failed', 'page must be a positive integer');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return fail(400, 'validation_failed', 'per_page must be 1 to 100');
  const filter = { page, perPage };
  const statement = listStatement(filter, visibilityOf(viewer));
  const { rows } = await pool.query(statement.text, statement.params);
  let total = rows.length ? rows[0].total : 0;
  if (rows.length === 0) {
    const count = countStatement(filter, visibilityOf(viewer));
    total = (await pool.query(count.text, count.params)).rows[0].count;
  }
  const now = new Date();
  return new Answer(200, { interviews: rows.map((row) => present(row, viewer, now)), meta: { page, per_page: perPage, total } });
}

// ---------------------------------------------------------------------------------------------- writes

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const zoned = (v: unknown): v is string => typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const unknownKey = (value: Record<string, unknown>, allowed: readonly string[]) => Object.keys(value).find((k) => !allowed.includes(k));

/** BEGIN … COMMIT on one pooled client; when `work` answers early (a refusal), ROLLBACK instead. */
async function transaction(work: (db: PoolClient) => Promise<Answer | undefined>): Promise<Answer | undefined> {
  const db = await pool.connect();
  try {
    await db.query('BEGIN');
    const refusal = await work(db);
    await db.query(refusal ? 'ROLLBACK' : 'COMMIT');
    return refusal;
  } catch (error) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    db.release();
  }
}

/** The locked row: `SELECT … FOR UPDATE` with the driver, as the service's repository reads it. */
async function lock(db: PoolClient, id: string): Promise<Row | undefined> {
  const { rows } = await db.query(
    `SELECT i.id::text, i.interviewer_id::text, e.driver_id::text, i.start_at, i.end_at, i.amend_start_at, i.amend_end_at,
            i.amended_by, i.status, i.status_before_amendment, i.config, i.version
       FROM interviews i JOIN interviewees e ON e.id = i.interviewee_id WHERE i.id = $1 FOR UPDATE OF i`,
    [id],
  );
  return rows[0];
}

async function appendEvent(db: PoolClient, id: string, type: string, caller: Caller, data: unknown): Promise<void> {
  const actor = caller.type === 'user' ? { type: 'user', id: Number(caller.id), role: caller.role } : { type: 'api_key', id: Number(caller.id) };
  // The event-log lock is the table's insert trigger (migration 1764500000000), as for the service.
  await db.query(
    `INSERT INTO interview_events (interview_id, type, actor, data, occurred_at) VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)`,
    [id, type, actor, data, new Date()],
  );
}

function ruleSays(action: 'amend' | 'update_config', side: Side, row: Row, now: Date): Answer | null {
  const decision = decide(action, side, { status: row.status as InterviewStatus, amendedBy: row.amended_by, startAt: row.start_at, now });
  if (decision.allowed) return null;
  return decision.code === 'forbidden' ? fail(403, 'forbidden', decision.reason) : fail(409, 'invalid_transition', decision.reason);
}

async function amend(id: string, body: unknown, caller: User, ifMatch: string | undefined, res: ServerResponse): Promise<Answer> {
  if (!isObject(body) || unknownKey(body, ['interview']) || !isObject(body.interview)) return fail(400, 'validation_failed', 'interview must be an object');
  const input = body.interview;
  const extra = unknownKey(input, ['amend_start_at', 'amend_end_at']);
  if (extra) return fail(400, 'validation_failed', `property interview.${extra} should not exist`);
  if (!zoned(input.amend_start_at) || !zoned(input.amend_end_at)) return fail(400, 'validation_failed', 'timestamps need a time zone');
  const startAt = new Date(input.amend_start_at);
  const endAt = new Date(input.amend_end_at);
  const refusal = await transaction(async (db) => {
    const row = await lock(db, id);
    const side = row && sideOf(caller, { interviewerId: row.interviewer_id, driverId: row.driver_id });
    if (!row || !side) return fail(404, 'not_found', 'interview not found');
    const now = new Date();
    const span = endAt.getTime() - startAt.getTime();
    if (span <= 0 || span > MAX_DURATION_MS || startAt <= now || (startAt.getTime() === row.start_at.getTime() && endAt.getTime() === row.end_at.getTime())) {
      return fail(400, 'validation_failed', 'the proposal is not valid');
    }
    if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== `"${row.version}"`) return fail(412, 'precondition_failed', 'stale');
    const refused = ruleSays('amend', side, row, now);
    if (refused) return refused;
    const by = side === 'interviewee' ? 'interviewee' : 'interviewer';
    const before = row.status === 'amended' ? row.status_before_amendment : row.status;
    const updated = await db.query(
      `UPDATE interviews SET amend_start_at = $3, amend_end_at = $4, amended_by = $5, status = 'amended',
              status_before_amendment = $6, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2`,
      [id, row.version, startAt, endAt, by, before],
    );
    if (updated.rowCount !== 1) throw new Error('version moved under the row lock');
    await appendEvent(db, id, 'interview.amended', caller, {
      amend_start_at: startAt.toISOString(),
      amend_end_at: endAt.toISOString(),
      amended_by: by,
      start_at: row.start_at.toISOString(),
      end_at: row.end_at.toISOString(),
      previous_status: row.status,
      replaced_proposal: row.amend_start_at
        ? { amend_start_at: row.amend_start_at.toISOString(), amend_end_at: row.amend_end_at.toISOString(), amended_by: row.amended_by }
        : null,
    });
    return undefined;
  });
  return refusal ?? readOne(id, caller, res);
}


const publicFail = (status: number, message: string) => new Answer(status, { status: false, message });
const CONFIG_KEYS = [
  'interview_name', 'skills', 'custom_question_list', 'interview_language', 'can_change_interview_language', 'only_coding_round',
  'is_coding_round_required', 'selected_coding_language', 'coding_exercise_details', 'is_proctoring_required',
] as const;
const BOOLEANS = ['can_change_interview_language', 'only_coding_round', 'is_coding_round_required', 'is_proctoring_required'];

/** micro1's field rules (API.md, Part 2): the message of the first one broken, or null. */
function configProblem(patch: Record<string, unknown>): string | null {
  const extra = unknownKey(patch, CONFIG_KEYS);
  if (extra) return `property ${extra} should not exist`;
  const text = (v: unknown, min: number, max: number) => v === null || v === undefined || (typeof v === 'string' && v.length >= min && v.length <= max);
  if (!text(patch.interview_name, 1, 200)) return 'interview_name must be 1 to 200 characters';
  if (!text(patch.selected_coding_language, 1, 100)) return 'selected_coding_language must be 1 to 100 characters';
  if (!text(patch.coding_exercise_details, 0, 2000)) return 'coding_exercise_details must be at most 2000 characters';
  for (const field of BOOLEANS) if (patch[field] !== undefined && typeof patch[field] !== 'boolean') return `${field} must be a boolean`;
  if (patch.interview_language !== undefined && !(INTERVIEW_LANGUAGES as readonly unknown[]).includes(patch.interview_language)) {
    return 'interview_language must be one of the documented codes';
  }
  const skills = patch.skills;
  if (skills !== undefined) {
    if (!Array.isArray(skills) || skills.length > 10) return 'skills must be an array of at most 10';
    for (const s of skills) {
      if (!isObject(s) || unknownKey(s, ['name', 'description']) || !text(s.name, 1, 200) || s.name == null || !text(s.description, 0, 1000)) return 'skills are not valid';
    }
  }
  const questions = patch.custom_question_list;
  if (questions !== undefined) {
    if (!Array.isArray(questions) || questions.length > 20) return 'custom_question_list must be an array of at most 20';
    for (const q of questions) {
      if (!isObject(q) || unknownKey(q, ['question', 'time', 'type']) || q.question == null || !text(q.question, 1, 1000)) return 'custom_question_list is not valid';
      if (q.time !== undefined && (typeof q.time !== 'number' || q.time < 1 || q.time > 4)) return 'time must be 1 to 4';
      if (q.type !== undefined && q.type !== 'audio' && q.type !== 'text') return 'type must be audio or text';
    }
  }
  return null;
}

async function updateConfig(id: string, body: unknown, caller: Caller): Promise<Answer> {
  const patch = body ?? {};
  if (!isObject(patch)) return publicFail(400, 'the body must be an object');
  const problem = configProblem(patch);
  if (problem) return publicFail(400, problem);
  const refusal = await transaction(async (db) => {
    const row = await lock(db, id);
    if (!row) return publicFail(404, 'Interview not found');
    const now = new Date();
    const current = row.config as InterviewConfig;
    const next = mergeConfig(current, patch);
    const coding = codingRoundProblem(next);
    if (coding) return publicFail(400, `selected_coding_language ${coding}`);
    const refused = ruleSays('update_config', 'api_key', row, now);
    if (refused) return publicFail(409, (refused.body as { error: { message: string } }).error.message);
    const changed = changedFields(current, next);
    if (changed.length) {
      const updated = await db.query(
        `UPDATE interviews SET config = $3, version = version + 1, updated_at = now() WHERE id = $1 AND version = $2`,
        [id, row.version, next],
      );
      if (updated.rowCount !== 1) throw new Error('version moved under the row lock');
      await appendEvent(db, id, 'interview.config_updated', caller, {
        changed,
        old: Object.fromEntries(changed.map((f) => [f, current[f]])),
        new: Object.fromEntries(changed.map((f) => [f, next[f]])),
      });
    }
    return undefined;
  });
  return refusal ?? new Answer(200, { status: true, message: 'Interview updated successfully' });
}

// ---------------------------------------------------------------------------------------------- routing

const ID = /^[1-9][0-9]{0,18}$/;
const ONE = /^\/api\/v1\/interviews\/([^/]+)$/;
const AMEND = /^\/api\/v1\/interviews\/([^/]+)\/amend$/;
const PUBLIC = /^\/interview\/([^/]+)$/;

async function route(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, raw: string): Promise<Answer> {
  const publicApi = path.startsWith('/interview/');
  const body = () => (raw === '' ? undefined : JSON.parse(raw));
  const id = (match: RegExpExecArray) => (ID.test(match[1]) ? match[1] : null);
  if (publicApi) {
    const match = PUBLIC.exec(path);
    if (!match || req.method !== 'PUT') return publicFail(404, 'Not found');
    const caller = await apiKey(req);
    if (!caller) return publicFail(401, 'Invalid API key');
    const interviewId = id(match);
    if (!interviewId) return publicFail(400, 'interviewId must be a positive integer');
    let parsed: unknown;
    try {
      parsed = body();
    } catch {
      return publicFail(400, 'the body is not valid JSON');
    }
    return updateConfig(interviewId, parsed, caller);
  }
  const caller = await user(req);
  if (!caller) return fail(401, 'unauthenticated', 'authentication required');
  if (req.method === 'GET' && path === '/api/v1/interviews') return list(query, caller);
  let match = ONE.exec(path);
  if (req.method === 'GET' && match) {
    const interviewId = id(match);
    return interviewId ? readOne(interviewId, caller, res) : fail(400, 'validation_failed', 'id must be a positive integer');
  }
  match = AMEND.exec(path);
  if (req.method === 'POST' && match) {
    const interviewId = id(match);
    if (!interviewId) return fail(400, 'validation_failed', 'id must be a positive integer');
    let parsed: unknown;
    try {
      parsed = body();
    } catch {
      return fail(400, 'malformed_json', 'the body is not valid JSON');
    }
    const ifMatch = req.headers['if-match'];
    return amend(interviewId, parsed, caller, typeof ifMatch === 'string' ? ifMatch : undefined, res);
  }
  return fail(404, 'not_found', 'not found');
}

const REQUEST_ID = /^[\w.:@-]{1,128}$/;

createServer((req, res) => {
  const given = req.headers['x-request-id'];
  res.setHeader('x-request-id', typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID());
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  if (path.startsWith('/interview/')) {
    const origin = req.headers.origin;
    res.setHeader('access-control-allow-origin', origin || '*');
    res.setHeader('access-control-allow-credentials', 'true');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= 100 * 1024) chunks.push(chunk);
  });
  req.on('end', () => {
    const send = (answer: Answer) => {
      res.writeHead(answer.status, HEADERS).end(JSON.stringify(answer.body));
    };
    if (size > 100 * 1024) return send(fail(413, 'payload_too_large', 'request body is larger than 100 kB'));
    route(req, res, path, new URLSearchParams(q < 0 ? '' : url.slice(q + 1)), Buffer.concat(chunks).toString()).then(send, (error) => {
      process.stderr.write(`baseline: ${(error as Error).stack}\n`);
      send(new Answer(500, { error: { code: 'internal', message: 'internal error' } }));
    });
  });
}).listen(Number(process.env.PORT ?? 3100), '127.0.0.1', () => process.stdout.write(`baseline listening on ${process.env.PORT}\n`));
