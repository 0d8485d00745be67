import { RequestMethod } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService } from '@nestjs/core';
import { IdempotencyGuard } from '#platform';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** Idempotency-Key (API.md, "Conventions"): replay, reuse with another body, a key still in flight. */
describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t.close());

  const proposal = (start: Date, hours: number) => {
    const s = new Date(start.getTime() + hours * 3600_000);
    return { interview: { amend_start_at: s.toISOString(), amend_end_at: new Date(s.getTime() + 1800_000).toISOString() } };
  };

  it('is on every POST, PUT, PATCH and DELETE route of the app, and on no read', () => {
    const mutating = [RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE];
    const missing: string[] = [];
    const onReads: string[] = [];
    let routes = 0;
    for (const controller of t.app.get(DiscoveryService).getControllers()) {
      const prototype = Object.getPrototypeOf(controller.instance) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        routes++;
        const intercepted = ((Reflect.getMetadata(GUARDS_METADATA, handler) ?? []) as unknown[]).includes(IdempotencyGuard);
        if (mutating.includes(method) && !intercepted) missing.push(`${controller.name}.${name}`);
        if (!mutating.includes(method) && intercepted) onReads.push(`${controller.name}.${name}`);
      }
    }
    expect(routes).toBeGreaterThan(40);
    expect(missing).toEqual([]);
    expect(onReads).toEqual([]);
  });

  it('replays the stored status and body with Idempotent-Replayed and changes nothing', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'amend-1' };
    const first = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(first.status).toBe(200);
    const before = await t.snapshot();
    const again = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.body).toEqual(first.body);
    expect(await t.snapshot()).toBe(before);
  });

  it('replays a creation with its 201, and an error answer with its status', async () => {
    const { interviewee, interviewer, start } = await t.scenario();
    const body = {
      interview: {
        interviewee_id: interviewee.id,
        start_at: new Date(start.getTime() + 86400_000).toISOString(),
        end_at: new Date(start.getTime() + 86400_000 + 1800_000).toISOString(),
        kind: 'in_person',
      },
    };
    const headers = { 'idempotency-key': 'create-1' };
    const first = await t.post('/api/v1/interviews', { token: interviewer.token, headers, body });
    const again = await t.post('/api/v1/interviews', { token: interviewer.token, headers, body });
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.interview.id).toBe(first.body.interview.id);

    const bad = { interview: { ...body.interview, kind: 'phone' } };
    const e1 = await t.post('/api/v1/interviews', { token: interviewer.token, headers: { 'idempotency-key': 'create-bad' }, body: bad });
    const e2 = await t.post('/api/v1/interviews', { token: interviewer.token, headers: { 'idempotency-key': 'create-bad' }, body: bad });
    expect([e1.status, e2.status]).toEqual([400, 400]);
    expect(e2.headers['idempotent-replayed']).toBe('true');
    expect(e2.body).toEqual(e1.body);
  });

  it('answers 422 idempotency_key_reused to the same key with another body', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'amend-2' };
    await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    const before = await t.snapshot();
    const other = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 3) });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await t.snapshot()).toBe(before);
  });

  it('answers 409 idempotency_in_progress while the first request with the key still runs', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'race-1' };
    const send = () => t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    const answers = await Promise.all([send(), send(), send(), send()]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    for (const a of answers) {
      if (a.status === 409) expect(a.body.error.code).toBe('idempotency_in_progress');
      else expect(a.status).toBe(200);
    }
    const events = (await t.get(`/api/v1/interviews/${interview.id}/events`, { token: interviewer.token })).body.events;
    expect(events.filter((e: { type: string }) => e.type === 'interview.amended')).toHaveLength(1);
  });

  it('scopes keys to the caller and the path, and refuses keys over 255 characters', async () => {
    const a = await t.scenario();
    const b = await t.scenario();
    const headers = { 'idempotency-key': 'shared-key' };
    expect((await t.post(`/api/v1/interviews/${a.interview.id}/amend`, { token: a.interviewer.token, headers, body: proposal(a.start, 2) })).status).toBe(200);
    const other = await t.post(`/api/v1/interviews/${b.interview.id}/amend`, { token: b.interviewer.token, headers, body: proposal(b.start, 2) });
    expect(other.status).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    const long = await t.post(`/api/v1/interviews/${a.interview.id}/cancel`, { token: a.interviewer.token, headers: { 'idempotency-key': 'k'.repeat(256) } });
    expect(long.status).toBe(400);
  });

  it('does not store 5xx answers: the key can be used again', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const marker = proposal(start, 5);
    await t.dataSource.query(`
      CREATE OR REPLACE FUNCTION fail_marked_amend() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'interview.amended' AND NEW.interview_id = ${Number(interview.id)} THEN
          RAISE EXCEPTION 'injected failure';
        END IF;
        RETURN NEW;
      END $$`);
    await t.dataSource.query(`CREATE TRIGGER fail_marked_amend BEFORE INSERT ON interview_events FOR EACH ROW EXECUTE FUNCTION fail_marked_amend()`);
    try {
      const headers = { 'idempotency-key': 'five-hundred' };
      const failed = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: marker });
      expect(failed.status).toBe(500);
      await t.dataSource.query(`DROP TRIGGER fail_marked_amend ON interview_events`);
      const retried = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: marker });
      expect(retried.status).toBe(200);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
    } finally {
      await t.dataSource.query(`DROP TRIGGER IF EXISTS fail_marked_amend ON interview_events`);
      await t.dataSource.query(`DROP FUNCTION IF EXISTS fail_marked_amend()`);
    }
  });

  it('never stores a secret shown once: a replayed key creation answers the key as null, sign-in is not stored', async () => {
    const admin = await t.admin();
    const headers = { 'idempotency-key': 'key-once' };
    const first = await t.post('/api/v1/admin/api_keys', { token: admin, headers, body: { api_key: { name: 'once' } } });
    expect(first.status).toBe(201);
    const again = await t.post('/api/v1/admin/api_keys', { token: admin, headers, body: { api_key: { name: 'once' } } });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body.api_key).toEqual({ ...first.body.api_key, key: null });
    const stored = await t.dataSource.query(`SELECT body FROM idempotency_keys WHERE key = 'key-once'`);
    expect(JSON.stringify(stored)).not.toContain(first.body.api_key.key);

    const signIn = { user: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } };
    await t.post('/api/v1/auth/sign_in', { headers: { 'idempotency-key': 'sign-in-once' }, body: signIn });
    expect(await t.dataSource.query(`SELECT 1 FROM idempotency_keys WHERE key = 'sign-in-once'`)).toHaveLength(0);
  });
});
