import { TestApp, TestClock } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/** The driver-interview seed (000): its amend request, replayed against an interview made through the API. */
describe('POST /api/v1/interviews/:id/amend (the seed)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(AppModule, { clock: new TestClock('2025-01-22T13:12:54.000Z') });
  });
  afterAll(() => t.close());

  it('answers 200 with the seed response shape, key for key', async () => {
    const interviewer = await t.user('interviewer', { title: 'Jacob Bogisich' });
    const interviewee = await t.interviewee('verified', { title: 'Howard Schiller', phone_number: '07554 311340' });
    const created = await t.post('/api/v1/interviews', {
      token: interviewer.token,
      body: {
        interview: {
          interviewee_id: interviewee.id,
          start_at: '2025-01-22T13:22:54Z',
          end_at: '2025-01-22T13:42:54Z',
          kind: 'video_call',
          location: 'London',
        },
      },
    });
    expect(created.status).toBe(201);

    const res = await t.post(`/api/v1/interviews/${created.body.interview.id}/amend`, {
      token: interviewer.token,
      headers: { accept: 'application/json' },
      body: { interview: { amend_start_at: '2025-01-22T13:42:54Z', amend_end_at: '2025-01-22T14:12:54Z' } },
    });

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-xss-protection']).toBe('0');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-permitted-cross-domain-policies']).toBe('none');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
    expect(res.headers.etag).toBe('"2"');

    const interview = res.body.interview;
    expect(Object.keys(interview)).toEqual([
      'id', 'amend_end_at', 'amend_start_at', 'amended_by', 'end_at', 'interviewee', 'interviewee_id', 'interviewer',
      'interviewer_id', 'kind', 'location', 'start_at', 'status',
      'config', 'allowed_actions', 'version', 'created_at', 'updated_at',
    ]);
    expect(interview).toMatchObject({
      id: created.body.interview.id,
      amend_end_at: '2025-01-22T14:12:54.000Z',
      amend_start_at: '2025-01-22T13:42:54.000Z',
      amended_by: 'interviewer',
      end_at: '2025-01-22T13:42:54.000Z',
      interviewee: {
        id: interviewee.id,
        driver: { id: interviewee.driver.id, image: null, phone_number: '07554 311340', title: 'Howard Schiller' },
        kind: 'verified',
        updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      },
      interviewee_id: interviewee.id,
      interviewer: { id: interviewer.id, contact_phone_number: null, image: null, title: 'Jacob Bogisich' },
      interviewer_id: interviewer.id,
      kind: 'video_call',
      location: 'London',
      start_at: '2025-01-22T13:22:54.000Z',
      status: 'amended',
      version: 2,
    });
    expect(Object.keys(interview.interviewee)).toEqual(['id', 'driver', 'kind', 'updated_at']);
    expect(Object.keys(interview.interviewee.driver)).toEqual(['id', 'image', 'phone_number', 'title']);
    expect(Object.keys(interview.interviewer)).toEqual(['id', 'contact_phone_number', 'image', 'title']);
    expect(Object.keys(interview.config)).toEqual([
      'interview_name', 'skills', 'custom_question_list', 'interview_language', 'can_change_interview_language',
      'only_coding_round', 'is_coding_round_required', 'selected_coding_language', 'coding_exercise_details',
      'is_proctoring_required',
    ]);
  });
});
