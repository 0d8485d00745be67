import { IdempotencyLedger, type RequestClaim, Sql } from '#platform';
import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * Issue 16, item 2: an Idempotency-Key claim has a lease, and the claim and the change commit
 * together. A claim that a dead process left without an answer is taken over by a retry once its
 * lease is over; a retry whose earlier run had committed its change answers from it and never
 * changes anything twice; a run that outlived its lease cannot commit beside its successor.
 */
describe('Idempotency-Key leases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t.close());

  const proposal = (start: Date, hours: number) => {
    const s = new Date(start.getTime() + hours * 3600_000);
    return { interview: { amend_start_at: s.toISOString(), amend_end_at: new Date(s.getTime() + 1800_000).toISOString() } };
  };
  const events = async (interviewId: number, type: string) =>
    Number((await t.dataSource.query(`SELECT count(*) FROM interview_events WHERE interview_id = $1 AND type = $2`, [interviewId, type]))[0].count);
  /** What a process killed between its claim and its answer leaves behind: no answer, and a lease that ran out. */
  const crashBeforeAnswer = (key: string, committedResource: string | null) =>
    t.dataSource.query(
      `UPDATE idempotency_keys SET status = NULL, headers = NULL, body = NULL, completed_at = NULL,
              lease_until = now() - interval '1 second', committed_resource = $2 WHERE key = $1`,
      [key, committedResource],
    );

  it('answers 409 idempotency_in_progress to a retry while the claim is within its lease', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'lease-live' };
    await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    await t.dataSource.query(`UPDATE idempotency_keys SET status = NULL, body = NULL, lease_until = now() + interval '1 minute' WHERE key = 'lease-live'`);
    const retry = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(retry.status).toBe(409);
    expect(retry.body.error.code).toBe('idempotency_in_progress');
  });

  it('runs a retry afresh once the lease of a claim whose change never committed is over', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'lease-fresh' };
    // The first run is refused (a stale If-Match, not part of the key's fingerprint): nothing committed.
    const first = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers: { ...headers, 'if-match': '"99"' }, body: proposal(start, 2) });
    expect(first.status).toBe(412);
    await crashBeforeAnswer('lease-fresh', null);
    const retry = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.body.interview.status).toBe('amended');
    expect(await events(interview.id, 'interview.amended')).toBe(1);
    // Its answer is stored like any other: the next retry replays it.
    const again = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(retry.body);
  });

  it('answers a retry from the resource, without a second change, when the first run committed and died before answering', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'lease-committed' };
    const first = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(first.status).toBe(200);
    const [row] = await t.dataSource.query(`SELECT committed_resource FROM idempotency_keys WHERE key = 'lease-committed'`);
    expect(row.committed_resource).toBe(String(interview.id)); // written in the change's own transaction
    await crashBeforeAnswer('lease-committed', String(interview.id));
    const before = await t.snapshot();
    const retry = await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(await t.snapshot()).toBe(before);
    expect(await events(interview.id, 'interview.amended')).toBe(1);
  });

  it('answers a creation retried after a crash with the interview created, and creates no second one', async () => {
    const { interviewee, interviewer, start } = await t.scenario();
    const s = new Date(start.getTime() + 5 * 3600_000);
    const body = { interview: { interviewee_id: interviewee.id, start_at: s.toISOString(), end_at: new Date(s.getTime() + 1800_000).toISOString(), kind: 'video_call', location: null } };
    const headers = { 'idempotency-key': 'lease-create' };
    const first = await t.post('/api/v1/interviews', { token: interviewer.token, headers, body });
    expect(first.status).toBe(201);
    await crashBeforeAnswer('lease-create', String(first.body.interview.id));
    const count = async () => Number((await t.dataSource.query(`SELECT count(*) FROM interviews WHERE interviewer_id = $1`, [interviewer.id]))[0].count);
    const before = await count();
    const retry = await t.post('/api/v1/interviews', { token: interviewer.token, headers, body });
    expect(retry.status).toBe(201);
    expect(retry.body.interview.id).toBe(first.body.interview.id);
    expect(await count()).toBe(before);
  });

  it("answers micro1's config update retried after a crash without recording it twice", async () => {
    const { interview } = await t.scenario();
    const apiKey = (await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'lease' } } })).body.api_key.key as string;
    const headers = { 'idempotency-key': 'lease-config', 'x-api-key': apiKey };
    const first = await t.put(`/interview/${interview.id}`, { headers, body: { interview_name: 'Lease test' } });
    expect(first.status).toBe(200);
    await crashBeforeAnswer('lease-config', String(interview.id));
    const retry = await t.put(`/interview/${interview.id}`, { headers, body: { interview_name: 'Lease test' } });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ status: true, message: 'Interview updated successfully' });
    expect(await events(interview.id, 'interview.config_updated')).toBe(1);
  });

  it('lets only the newest run of a key commit: a run that outlived its lease rolls its change back', async () => {
    const { interview, interviewer, start } = await t.scenario();
    const headers = { 'idempotency-key': 'lease-stale-run' };
    await t.post(`/api/v1/interviews/${interview.id}/amend`, { token: interviewer.token, headers, body: proposal(start, 2) });
    const [row] = await t.dataSource.query(`SELECT principal, method, path, key FROM idempotency_keys WHERE key = 'lease-stale-run'`);
    await t.dataSource.query(`UPDATE idempotency_keys SET status = NULL, committed_resource = NULL, claim_token = gen_random_uuid() WHERE key = 'lease-stale-run'`);
    const stale: RequestClaim = { id: [row.principal, row.method, row.path, row.key], token: '00000000-0000-4000-8000-000000000000', committedResource: null };
    const sql = t.app.get(Sql);
    const ledger = t.app.get(IdempotencyLedger);
    let wrote = false;
    await expect(
      sql.run(async (tx) => {
        await sql.execute(`UPDATE interviews SET location = 'stale run' WHERE id = $1`, [interview.id], tx);
        wrote = true;
        await ledger.recordCommit(stale, String(interview.id), tx);
      }),
    ).rejects.toMatchObject({ status: 409, code: 'idempotency_in_progress' });
    expect(wrote).toBe(true);
    const [after] = await t.dataSource.query(`SELECT location FROM interviews WHERE id = $1`, [interview.id]);
    expect(after.location).not.toBe('stale run');
  });
});
