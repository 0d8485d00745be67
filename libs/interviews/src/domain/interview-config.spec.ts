import { changedFields, DEFAULT_CONFIG, InterviewConfig, sameJsonValue } from './interview-config';
import { Interview, InterviewState } from './interview';
import { InterviewConfigUpdated } from './interview.events';
import type { InterviewStatus } from './transitions';
import type { Actor } from './actor';

/** Interview.updateConfig: a partial update of the AI-interview configuration. */

const interviewer: Actor = { type: 'user', id: '1', role: 'interviewer' };
const driver: Actor = { type: 'user', id: '2', role: 'driver' };
const admin: Actor = { type: 'user', id: '9', role: 'admin' };
const apiKey: Actor = { type: 'api_key', id: '7' };
const strangerInterviewer: Actor = { type: 'user', id: '3', role: 'interviewer' };

const NOW = new Date('2030-06-01T12:00:00.000Z');

/** The seed's full configuration (micro1, "Update an interview"), in the documented key order. */
const SEED: InterviewConfig = {
  interview_name: 'Full Stack Engineer Interview',
  skills: [{ name: 'React', description: 'Must be proficient in React Context API' }],
  custom_question_list: [{ question: 'What are your strengths and weaknesses?', time: 2, type: 'audio' }],
  interview_language: 'en',
  can_change_interview_language: false,
  only_coding_round: false,
  is_coding_round_required: false,
  selected_coding_language: 'python',
  coding_exercise_details: 'Make the DSA problem extremely difficult.',
  is_proctoring_required: true,
};

function build(status: InterviewStatus = 'pending', config: InterviewConfig = { ...DEFAULT_CONFIG }): Interview {
  const state: InterviewState = {
    id: '100',
    interviewerId: '1',
    intervieweeId: '50',
    driverId: '2',
    kind: 'video_call',
    location: 'London',
    startAt: new Date('2030-06-02T09:00:00.000Z'),
    endAt: new Date('2030-06-02T09:30:00.000Z'),
    proposal: status === 'amended' ? { startAt: new Date('2030-06-03T09:00:00.000Z'), endAt: new Date('2030-06-03T09:30:00.000Z'), by: 'interviewee' } : null,
    status,
    statusBeforeAmendment: status === 'amended' ? 'scheduled' : null,
    cancelReason: null,
    config,
    version: 4,
  };
  return Interview.rehydrate(state);
}

/**
 * The configuration as PostgreSQL hands it back from a jsonb column: jsonb keeps no key order of
 * its own and returns every object's keys shorter first, then bytewise (a question comes back as
 * {time, type, question}). Arrays keep their order.
 */
function asReadFromJsonb<T>(value: T): T {
  if (Array.isArray(value)) return value.map(asReadFromJsonb) as T;
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((k) => [k, asReadFromJsonb((value as Record<string, unknown>)[k])])) as T;
}

function errorOf(fn: () => void): { code?: string; message?: string; details?: { field: string; message: string }[] } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected updateConfig to throw');
}

describe('Interview.updateConfig: what a change records', () => {
  it('changes the field sent, steps the version once and says it changed something', () => {
    const interview = build();

    expect(interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW)).toBe(true);

    expect(interview.version).toBe(5);
    expect(interview.snapshot().config).toEqual({ ...DEFAULT_CONFIG, interview_language: 'fr' });
    expect(interview.snapshot().status).toBe('pending');
  });

  it('records one interview.config_updated event with the changed fields and their old and new values', () => {
    const interview = build();
    interview.updateConfig(interviewer, { interview_language: 'fr', is_proctoring_required: false }, NOW);

    const events = interview.getUncommittedEvents();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toBeInstanceOf(InterviewConfigUpdated);
    expect(event.type).toBe('interview.config_updated');
    expect(event.interviewId).toBe('100');
    expect(event.actor).toEqual(interviewer);
    expect(event.occurredAt).toEqual(NOW);
    expect(event.data).toEqual({
      changed: ['interview_language', 'is_proctoring_required'],
      old: { interview_language: 'en', is_proctoring_required: true },
      new: { interview_language: 'fr', is_proctoring_required: false },
    });
  });

  it('lists the changed fields in the canonical order, whatever the order of the patch', () => {
    const interview = build();
    interview.updateConfig(interviewer, { is_proctoring_required: false, interview_name: 'Backend', skills: [{ name: 'SQL' }] }, NOW);
    expect(interview.getUncommittedEvents()[0].data).toMatchObject({ changed: ['interview_name', 'skills', 'is_proctoring_required'] });
  });

  it('changes only the fields sent: the rest of a full configuration stays as it was', () => {
    const interview = build('pending', SEED);
    interview.updateConfig(interviewer, { interview_language: 'fr', custom_question_list: [{ question: 'Why us?' }] }, NOW);

    expect(interview.snapshot().config).toEqual({
      ...SEED,
      interview_language: 'fr',
      custom_question_list: [{ question: 'Why us?', time: 2, type: 'audio' }],
    });
    expect(interview.getUncommittedEvents()[0].data.changed).toEqual(['custom_question_list', 'interview_language']);
  });

  it('fills in a question left without time and type (2 minutes, audio), in the state and the event', () => {
    const interview = build();
    interview.updateConfig(interviewer, { custom_question_list: [{ question: 'Why us?' }, { question: 'Why now?', time: 4, type: 'text' }] }, NOW);

    const questions = [
      { question: 'Why us?', time: 2, type: 'audio' },
      { question: 'Why now?', time: 4, type: 'text' },
    ];
    expect(interview.snapshot().config.custom_question_list).toEqual(questions);
    expect(interview.getUncommittedEvents()[0].data.new).toEqual({ custom_question_list: questions });
  });

  it('can set a nullable field back to null', () => {
    const interview = build('pending', SEED);
    interview.updateConfig(interviewer, { coding_exercise_details: null }, NOW);
    expect(interview.snapshot().config.coding_exercise_details).toBeNull();
    expect(interview.getUncommittedEvents()[0].data).toEqual({
      changed: ['coding_exercise_details'],
      old: { coding_exercise_details: SEED.coding_exercise_details },
      new: { coding_exercise_details: null },
    });
  });

  it('two changes in a row step the version twice and record two events', () => {
    const interview = build();
    interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW);
    interview.updateConfig(admin, { interview_language: 'de' }, NOW);
    expect(interview.version).toBe(6);
    expect(interview.getUncommittedEvents().map((e) => e.data)).toEqual([
      { changed: ['interview_language'], old: { interview_language: 'en' }, new: { interview_language: 'fr' } },
      { changed: ['interview_language'], old: { interview_language: 'fr' }, new: { interview_language: 'de' } },
    ]);
  });

  it.each(['pending', 'scheduled', 'amended'] as InterviewStatus[])('is allowed while the interview is %s, and keeps its status', (status) => {
    const interview = build(status);
    interview.updateConfig(interviewer, { interview_name: 'Backend' }, NOW);
    expect(interview.snapshot().status).toBe(status);
    expect(interview.snapshot().config.interview_name).toBe('Backend');
  });

  it.each([
    ['the interviewer', interviewer],
    ['an admin', admin],
    ['an API key', apiKey],
  ] as [string, Actor][])('is allowed to %s', (_name, actor) => {
    const interview = build();
    expect(interview.updateConfig(actor, { interview_name: 'Backend' }, NOW)).toBe(true);
    expect(interview.getUncommittedEvents()[0].actor).toEqual(actor);
  });
});

describe('Interview.updateConfig: an update that changes nothing', () => {
  it.each([
    ['an empty patch', {}],
    ['the current value of one field', { interview_language: 'en' }],
    ['the whole current configuration', { ...DEFAULT_CONFIG }],
  ])('records no event, keeps the version and says so, for %s', (_name, patch) => {
    const interview = build();
    const before = structuredClone(interview.snapshot());

    expect(interview.updateConfig(interviewer, patch, NOW)).toBe(false);

    expect(interview.version).toBe(4);
    expect(interview.snapshot()).toEqual(before);
    expect(interview.getUncommittedEvents()).toEqual([]);
  });

  it('records no event when the seed configuration is sent again over itself', () => {
    const interview = build('pending', SEED);
    expect(interview.updateConfig(interviewer, structuredClone(SEED), NOW)).toBe(false);
    expect(interview.version).toBe(4);
    expect(interview.getUncommittedEvents()).toEqual([]);
  });

  it('records no event for a question sent without time and type when the stored one has the defaults', () => {
    const interview = build('pending', SEED);
    expect(interview.updateConfig(interviewer, { custom_question_list: [{ question: 'What are your strengths and weaknesses?' }] }, NOW)).toBe(false);
    expect(interview.version).toBe(4);
  });

  it('the same change sent twice records one event and one version step', () => {
    const interview = build('pending', SEED);
    expect(interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW)).toBe(true);
    expect(interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW)).toBe(false);
    expect(interview.version).toBe(5);
    expect(interview.getUncommittedEvents()).toHaveLength(1);
  });
});

describe('Interview.updateConfig: refusals change nothing', () => {
  function expectUnchanged(interview: Interview, before: InterviewState): void {
    expect(interview.version).toBe(4);
    expect(interview.snapshot()).toEqual(before);
    expect(interview.getUncommittedEvents()).toEqual([]);
  }

  it.each(['rejected', 'cancelled', 'completed', 'no_show'] as InterviewStatus[])(
    'a %s interview refuses it with invalid_transition',
    (status) => {
      const interview = build(status);
      const before = structuredClone(interview.snapshot());

      const error = errorOf(() => interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW));

      expect(error.code).toBe('invalid_transition');
      expect(error.message).toBe(`cannot update the configuration of an interview that is ${status}`);
      expectUnchanged(interview, before);
    },
  );

  it('a cancelled interview refuses even an update that would change nothing', () => {
    const interview = build('cancelled');
    expect(errorOf(() => interview.updateConfig(interviewer, {}, NOW)).code).toBe('invalid_transition');
  });

  it('the driver (interviewee side) is forbidden', () => {
    const interview = build();
    const before = structuredClone(interview.snapshot());
    expect(errorOf(() => interview.updateConfig(driver, { interview_language: 'fr' }, NOW)).code).toBe('forbidden');
    expectUnchanged(interview, before);
  });

  it('another interviewer gets not_found (the interview is not revealed)', () => {
    const interview = build();
    const before = structuredClone(interview.snapshot());
    expect(errorOf(() => interview.updateConfig(strangerInterviewer, { interview_language: 'fr' }, NOW)).code).toBe('not_found');
    expectUnchanged(interview, before);
  });

  it('a stale expected version is precondition_failed; the current one lets the change through', () => {
    const interview = build();
    const before = structuredClone(interview.snapshot());
    expect(errorOf(() => interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW, [3])).code).toBe('precondition_failed');
    expectUnchanged(interview, before);

    expect(interview.updateConfig(interviewer, { interview_language: 'fr' }, NOW, [3, 4])).toBe(true);
    expect(interview.version).toBe(5);
  });

  it.each([{ only_coding_round: true }, { is_coding_round_required: true }])(
    'a coding round without a language (%j) is validation_failed on selected_coding_language',
    (patch) => {
      const interview = build();
      const before = structuredClone(interview.snapshot());
      const error = errorOf(() => interview.updateConfig(interviewer, patch, NOW));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([
        { field: 'selected_coding_language', message: 'is required when only_coding_round or is_coding_round_required is true' },
      ]);
      expectUnchanged(interview, before);
    },
  );

  it('clearing the language of a stored coding round is validation_failed', () => {
    const interview = build('pending', { ...SEED, is_coding_round_required: true });
    expect(errorOf(() => interview.updateConfig(interviewer, { selected_coding_language: null }, NOW)).code).toBe('validation_failed');
    expect(interview.snapshot().config.selected_coding_language).toBe('python');
  });

  it('checks the input before the status: a bad patch on a cancelled interview is validation_failed', () => {
    const interview = build('cancelled');
    expect(errorOf(() => interview.updateConfig(interviewer, { only_coding_round: true }, NOW)).code).toBe('validation_failed');
  });
});

describe('sameJsonValue: JSON values compared by value', () => {
  it.each([
    ['equal strings', 'fr', 'fr'],
    ['equal numbers', 2, 2],
    ['booleans', true, true],
    ['nulls', null, null],
    ['empty arrays', [], []],
    ['empty objects', {}, {}],
    ['objects with the same keys in another order', { name: 'React', description: 'Hooks' }, { description: 'Hooks', name: 'React' }],
    [
      'nested objects with their keys in another order',
      [{ question: 'Q?', time: 2, type: 'audio', meta: { a: 1, bb: [1, { x: 1, y: 2 }] } }],
      [{ time: 2, meta: { bb: [1, { y: 2, x: 1 }], a: 1 }, type: 'audio', question: 'Q?' }],
    ],
    ['objects where a key holds undefined and the other lacks it (JSON has no undefined)', { name: 'React', description: undefined }, { name: 'React' }],
  ])('%s are equal', (_name, a, b) => {
    expect(sameJsonValue(a, b)).toBe(true);
    expect(sameJsonValue(b, a)).toBe(true);
  });

  it.each([
    ['arrays with the same elements in another order', ['a', 'b'], ['b', 'a']],
    ['question lists in another order', [{ question: 'A?' }, { question: 'B?' }], [{ question: 'B?' }, { question: 'A?' }]],
    ['arrays of different lengths', [1, 2], [1, 2, 2]],
    ['an object with one key more', { name: 'React' }, { name: 'React', description: 'Hooks' }],
    ['objects with different keys of the same count', { name: 'React' }, { title: 'React' }],
    ["an object's own key and one it only inherits", { constructor: 'x' }, { other: 'x' }],
    ['a nested value that differs', [{ question: 'Q?', time: 2 }], [{ time: 3, question: 'Q?' }]],
    ['a string and a number', '2', 2],
    ['null and false', null, false],
    ['0 and false', 0, false],
    ['null and an empty object', null, {}],
    ['null and an empty array', null, []],
    ['an array and an object with index keys', ['a'], { 0: 'a' }],
    ['an empty array and an empty object', [], {}],
    ['a value and undefined', 'en', undefined],
  ])('%s are not equal', (_name, a, b) => {
    expect(sameJsonValue(a, b)).toBe(false);
    expect(sameJsonValue(b, a)).toBe(false);
  });
});

describe('changedFields: a configuration read back from the database (issue 16, item 6)', () => {
  it('finds nothing changed between the seed configuration and the same one with jsonb key order', () => {
    const stored = asReadFromJsonb(SEED);
    expect(Object.keys(stored.custom_question_list[0])).toEqual(['time', 'type', 'question']);
    expect(changedFields(stored, SEED)).toEqual([]);
    expect(changedFields(SEED, stored)).toEqual([]);
  });

  it('still sees a question list in another order as a change', () => {
    const two = { ...SEED, custom_question_list: [...SEED.custom_question_list, { question: 'Why us?', time: 2, type: 'audio' as const }] };
    const swapped = { ...two, custom_question_list: [...two.custom_question_list].reverse() };
    expect(changedFields(asReadFromJsonb(two), swapped)).toEqual(['custom_question_list']);
  });
});

describe('Interview.updateConfig on a configuration read back from the database (issue 16, item 6)', () => {
  it("records only interview_language for {interview_language: 'fr'} after the seed's full update, then nothing when sent again", () => {
    const interview = build('pending', asReadFromJsonb(SEED));

    expect(interview.updateConfig(apiKey, { interview_language: 'fr' }, NOW)).toBe(true);
    expect(interview.getUncommittedEvents()[0].data).toEqual({
      changed: ['interview_language'],
      old: { interview_language: 'en' },
      new: { interview_language: 'fr' },
    });
    expect(interview.version).toBe(5);

    // the next request loads the row again: the stored configuration in jsonb order once more
    const reloaded = build('pending', asReadFromJsonb(interview.snapshot().config));
    expect(reloaded.updateConfig(apiKey, { interview_language: 'fr' }, NOW)).toBe(false);
    expect(reloaded.version).toBe(4);
    expect(reloaded.getUncommittedEvents()).toEqual([]);
  });

  it('records nothing when the seed configuration is sent again over its stored copy', () => {
    const interview = build('pending', asReadFromJsonb(SEED));
    expect(interview.updateConfig(apiKey, structuredClone(SEED), NOW)).toBe(false);
    expect(interview.version).toBe(4);
    expect(interview.getUncommittedEvents()).toEqual([]);
  });

  it('records the skills and questions as changed only when their values change', () => {
    const interview = build('pending', asReadFromJsonb(SEED));
    interview.updateConfig(apiKey, { skills: SEED.skills, custom_question_list: [{ question: 'Why us?' }] }, NOW);
    expect(interview.getUncommittedEvents()[0].data.changed).toEqual(['custom_question_list']);
  });
});
