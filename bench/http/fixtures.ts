/**
 * The data both sides of `npm run bench` work on, and the credentials to reach it: a set-based
 * seed (SQL only, no API: a million rows in seconds), HS256 tokens for every interviewer, and one
 * API key. The service's database and the baseline's are seeded by the same function, so ids and
 * rows are the same on both.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { DEFAULT_CONFIG } from '../../libs/interviews/src/domain/interview-config';

/**
 * A fresh secret per run: the service runs in production mode here, which refuses any secret
 * published in the repository. Both sides of a run get this one.
 */
export const JWT_SECRET = randomBytes(48).toString('base64url');
/** `ik_<prefix>_<43 base64url characters>`, as ApiKeysService issues them. */
export const API_KEY = `ik_0be4c4ee_${'B'.repeat(43)}`;

export interface SeedSize {
  interviews: number;
  interviewers: number;
  drivers: number;
}

export const SIZES = {
  standard: { interviews: 10_000, interviewers: 100, drivers: 1_000 },
  scale: { interviews: 1_000_000, interviewers: 1_000, drivers: 10_000 },
} satisfies Record<string, SeedSize>;

/** Interview k (1…N) belongs to interviewer 1 + (k−1) mod I: the id the bench signs a token for. */
export function interviewerOf(interviewId: number, size: SeedSize): number {
  return 1 + ((interviewId - 1) % size.interviewers);
}

/**
 * Users 1…I are interviewers, I+1…I+D drivers, each driver with one interviewee. Interview k is the
 * (⌊(k−1)/I⌋)-th of its interviewer, one hour after the one before, 30 minutes long, from 30 days
 * ahead: no interviewer is double-booked, and every interview can be amended. A third are
 * scheduled, the rest pending; each has its `interview.created` event.
 */
export async function seed(db: Client, size: SeedSize): Promise<void> {
  const { interviews: n, interviewers: i, drivers: d } = size;
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO users (id, email, password_hash, role, title, contact_phone_number)
     SELECT g, 'interviewer' || g || '@bench.example', 'not-a-hash', 'interviewer', 'Interviewer ' || g,
            CASE WHEN g % 2 = 0 THEN '07554 ' || lpad(g::text, 6, '0') END
       FROM generate_series(1, $1::int) g`,
    [i],
  );
  await db.query(
    `INSERT INTO users (id, email, password_hash, role, title, phone_number)
     SELECT $1::int + g, 'driver' || g || '@bench.example', 'not-a-hash', 'driver', 'Driver ' || g, '07700 ' || lpad(g::text, 6, '0')
       FROM generate_series(1, $2::int) g`,
    [i, d],
  );
  await db.query(
    `INSERT INTO interviewees (id, driver_id, kind)
     SELECT g, $1::int + g, CASE WHEN g % 2 = 0 THEN 'verified' ELSE 'interview' END FROM generate_series(1, $2::int) g`,
    [i, d],
  );
  await db.query(
    `INSERT INTO interviews (id, interviewer_id, interviewee_id, kind, location, start_at, end_at, status, config)
     SELECT k, 1 + (k - 1) % $2::int, 1 + (k - 1) % $3::int,
            CASE WHEN k % 2 = 0 THEN 'video_call' ELSE 'in_person' END, 'London',
            base + ((k - 1) / $2::int) * interval '1 hour',
            base + ((k - 1) / $2::int) * interval '1 hour' + interval '30 minutes',
            CASE WHEN k % 3 = 0 THEN 'scheduled' ELSE 'pending' END, $4::jsonb
       FROM generate_series(1, $1::int) k, (SELECT date_trunc('hour', now()) + interval '30 days' AS base) b`,
    [n, i, d, DEFAULT_CONFIG],
  );
  await db.query(
    `INSERT INTO interview_events (interview_id, type, actor, data, occurred_at)
     SELECT id, 'interview.created', jsonb_build_object('type', 'user', 'id', interviewer_id, 'role', 'interviewer'),
            jsonb_build_object('interviewer_id', interviewer_id, 'interviewee_id', interviewee_id, 'kind', kind,
                               'location', location, 'start_at', start_at, 'end_at', end_at, 'status', 'pending'),
            created_at
       FROM interviews ORDER BY id`,
  );
  const prefix = API_KEY.split('_')[1];
  await db.query(`INSERT INTO api_keys (name, prefix, secret_sha256) VALUES ('bench', $1, $2)`, [
    prefix,
    createHash('sha256').update(API_KEY).digest(),
  ]);
  for (const table of ['users', 'interviewees', 'interviews']) {
    await db.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  await db.query('COMMIT');
  await db.query('VACUUM ANALYZE');
}

/** A Bearer token as the service signs them (HS256; sub, scp, iat, exp, jti). */
export function signToken(userId: number, ttlSeconds = 24 * 3600): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const head = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: String(userId), scp: 'user', aud: null, iat, exp: iat + ttlSeconds, jti: randomUUID() })}`;
  return `${head}.${createHmac('sha256', JWT_SECRET).update(head).digest('base64url')}`;
}
