import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** "Protocol details": an empty body is no body, whatever its Content-Type; a body that is not JSON is 415. */
describe('request bodies: empty is none, only JSON is taken', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
  });
  afterAll(() => t.close());

  it('takes POST …/accept with Content-Type: application/json and no body as a request without a body', async () => {
    const { interview, driver } = await t.scenario();
    const res = await t.post(`/api/v1/interviews/${interview.id}/accept`, { token: driver.token, raw: '', headers: { 'content-type': 'application/json' } });
    expect({ status: res.status, state: res.body?.interview?.status }).toEqual({ status: 200, state: 'scheduled' });
  });

  it('takes POST …/cancel with Content-Type: application/json; charset=utf-8 and no body', async () => {
    const { interview, interviewer } = await t.scenario();
    const res = await t.post(`/api/v1/interviews/${interview.id}/cancel`, {
      token: interviewer.token,
      raw: '',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect({ status: res.status, state: res.body?.interview?.status }).toEqual({ status: 200, state: 'cancelled' });
  });

  it('takes an empty body of any other type as no body too', async () => {
    const { interview, interviewer } = await t.scenario();
    const res = await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token, raw: '', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(200);
  });

  it('still answers malformed JSON with 400 malformed_json', async () => {
    const { interview, interviewer } = await t.scenario();
    const res = await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token, raw: '{"interview":' });
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 400, code: 'malformed_json' });
  });

  it.each([
    ['application/x-www-form-urlencoded', 'interview[reason]=late'],
    ['text/plain', '{"interview": {"reason": "late"}}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n'],
    ['application/xml', '<interview/>'],
  ])('answers a %s body on /api/v1 with 415 unsupported_media_type and changes nothing', async (type, raw) => {
    const { interview, interviewer } = await t.scenario();
    const before = await t.snapshot();
    const res = await t.post(`/api/v1/interviews/${interview.id}/cancel`, { token: interviewer.token, raw, headers: { 'content-type': type } });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
    expect(await t.snapshot()).toBe(before);
  });

  it('answers a form-encoded PUT /interview/:id with 415 in the public envelope and stores nothing', async () => {
    const { interview } = await t.scenario();
    const created = await t.post('/api/v1/admin/api_keys', { token: await t.admin(), body: { api_key: { name: 'forms' } } });
    const key = created.body.api_key.key;
    const res = await t.put(`/interview/${interview.id}`, {
      raw: 'interview_language=fr&interview_name=Form',
      headers: { 'x-api-key': key, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ status: false, message: expect.any(String) });
    const read = await t.get(`/interview/${interview.id}`, { headers: { 'x-api-key': key } });
    expect(read.body.data.interview_name ?? null).not.toBe('Form');
  });
});
