import { TestApp } from '#testing';
import { AppModule } from '../apps/api/src/app.module';

/**
 * Issue 15, item 10 ("Protocol details"): an impossible calendar date or time is a 400 in the
 * validation envelope, never shifted into a real one. `Date.parse` rolls them over (`2031-02-31` is
 * 3 March, `T24:00:00` the next midnight); every date-time input goes through isZonedTimestamp:
 * the driver API's start_at, end_at, amend_start_at, amend_end_at and the list filters from/to
 * (micro1's public routes take no date-time).
 */
const IMPOSSIBLE: [string, string][] = [
  ['31 February', '2031-02-31T10:00:00Z'],
  ['29 February of a common year', '2031-02-29T10:00:00Z'],
  ['31 April', '2031-04-31T10:00:00Z'],
  ['day 0', '2031-05-00T10:00:00Z'],
  ['month 13', '2031-13-01T10:00:00Z'],
  ['hour 24', '2031-05-01T24:00:00Z'],
  ['hour 24 without seconds', '2031-05-01T24:00Z'],
  ['minute 60', '2031-05-01T10:60:00Z'],
  ['a leap second', '2031-06-30T23:59:60Z'],
  ['an offset of 24 hours', '2031-05-01T10:00:00+24:00'],
  ['an offset minute of 60', '2031-05-01T10:00:00+01:60'],
];

describe('impossible calendar dates are 400, never shifted', () => {
  let t: TestApp;
  let scenario: Awaited<ReturnType<TestApp['scenario']>>;

  beforeAll(async () => {
    t = await TestApp.start(AppModule);
    scenario = await t.scenario({ inHours: 24 * 365 * 3 });
  });
  afterAll(() => t?.close());

  function expectRefused(res: { status: number; body: any }, field: string): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(res.body.error.details).toEqual([{ field, message: expect.stringContaining('ISO-8601') }]);
  }

  describe.each(IMPOSSIBLE)('%s (%s)', (_, when) => {
    it('POST /api/v1/interviews: start_at and end_at, and nothing is created', async () => {
      const before = await t.snapshot();
      const valid = { interviewee_id: scenario.interviewee.id, kind: 'video_call', start_at: '2031-05-01T10:00:00Z', end_at: '2031-05-01T10:30:00Z' };
      expectRefused(await t.post('/api/v1/interviews', { token: scenario.interviewer.token, body: { interview: { ...valid, start_at: when } } }), 'interview.start_at');
      expectRefused(await t.post('/api/v1/interviews', { token: scenario.interviewer.token, body: { interview: { ...valid, end_at: when } } }), 'interview.end_at');
      expect(await t.snapshot()).toBe(before);
    });

    it('amend, on both the interviewer\'s and the driver\'s route, and nothing changes', async () => {
      const before = await t.snapshot();
      const id = scenario.interview.id;
      const valid = { amend_start_at: '2031-05-01T10:00:00Z', amend_end_at: '2031-05-01T10:30:00Z' };
      for (const [url, token] of [
        [`/api/v1/interviews/${id}/amend`, scenario.interviewer.token],
        [`/api/v1/users/interviews/${id}/amend`, scenario.driver.token],
      ]) {
        expectRefused(await t.post(url, { token, body: { interview: { ...valid, amend_start_at: when } } }), 'interview.amend_start_at');
        expectRefused(await t.post(url, { token, body: { interview: { ...valid, amend_end_at: when } } }), 'interview.amend_end_at');
      }
      expect(await t.snapshot()).toBe(before);
    });

    it('the list filters from and to, on both lists', async () => {
      for (const [url, token] of [
        ['/api/v1/interviews', scenario.interviewer.token],
        ['/api/v1/users/interviews', scenario.driver.token],
      ]) {
        for (const filter of ['from', 'to']) {
          expectRefused(await t.get(`${url}?${filter}=${encodeURIComponent(when)}`, { token }), filter);
        }
      }
    });
  });

  it('still takes real dates at the edges: 29 February of a leap year, 23:59:59, offsets, and a lone 00:00', async () => {
    for (const when of ['2032-02-29T10:00:00Z', '2031-12-31T23:59:59.999Z', '2031-05-01T10:00:00+05:30', '2031-05-01T10:00:00-0800', '2031-05-01T00:00Z']) {
      const res = await t.get(`/api/v1/interviews?from=${encodeURIComponent(when)}`, { token: scenario.interviewer.token });
      expect(res.status).toBe(200);
    }
    const proposal = { amend_start_at: '2032-02-29T23:00:00+01:00', amend_end_at: '2032-02-29T23:30:00+01:00' };
    const res = await t.post(`/api/v1/interviews/${scenario.interview.id}/amend`, { token: scenario.interviewer.token, body: { interview: proposal } });
    expect(res.status).toBe(200);
    expect(res.body.interview.amend_start_at).toBe('2032-02-29T22:00:00.000Z');
  });
});
