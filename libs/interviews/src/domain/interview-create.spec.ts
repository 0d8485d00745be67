import { DEFAULT_CONFIG } from './interview-config';
import { Interview, NewInterview } from './interview';
import { InterviewCreated } from './interview.events';
import type { Actor } from './actor';

/** Interview.create: the state a new interview starts in and the one event it records. */

const interviewer: Actor = { type: 'user', id: '1', role: 'interviewer' };
const admin: Actor = { type: 'user', id: '9', role: 'admin' };

const NOW = new Date('2030-06-01T12:00:00.000Z');
const START = new Date('2030-06-02T09:00:00.000Z');
const END = new Date('2030-06-02T09:30:00.000Z');
const h = 3600_000;

function input(overrides: Partial<NewInterview> = {}): NewInterview {
  return {
    id: '100',
    interviewerId: '1',
    intervieweeId: '50',
    driverId: '2',
    kind: 'video_call',
    location: 'London',
    startAt: START,
    endAt: END,
    ...overrides,
  };
}

function errorOf(fn: () => void): { code?: string; details?: { field: string; message: string }[] } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected create to throw');
}

describe('Interview.create', () => {
  it('starts pending at version 1, with no proposal, no cancel reason and the default configuration', () => {
    const interview = Interview.create(input(), interviewer, NOW);

    expect(interview.id).toBe('100');
    expect(interview.version).toBe(1);
    expect(interview.snapshot()).toEqual({
      id: '100',
      interviewerId: '1',
      intervieweeId: '50',
      driverId: '2',
      kind: 'video_call',
      location: 'London',
      startAt: START,
      endAt: END,
      proposal: null,
      status: 'pending',
      statusBeforeAmendment: null,
      cancelReason: null,
      config: DEFAULT_CONFIG,
      version: 1,
    });
  });

  it('records exactly one interview.created event, by the actor, at now, with the participants, times and status', () => {
    const interview = Interview.create(input(), interviewer, NOW);

    const events = interview.getUncommittedEvents();
    expect(events).toHaveLength(1);
    const [created] = events;
    expect(created).toBeInstanceOf(InterviewCreated);
    expect(created.type).toBe('interview.created');
    expect(created.interviewId).toBe('100');
    expect(created.actor).toEqual(interviewer);
    expect(created.occurredAt).toEqual(NOW);
    expect(created.data).toEqual({
      interviewer_id: 1,
      interviewee_id: 50,
      kind: 'video_call',
      location: 'London',
      start_at: '2030-06-02T09:00:00.000Z',
      end_at: '2030-06-02T09:30:00.000Z',
      status: 'pending',
    });
  });

  it('records the ids as numbers and a null location as null (an in-person interview created by an admin)', () => {
    const interview = Interview.create(input({ kind: 'in_person', location: null, interviewerId: '12', intervieweeId: '77' }), admin, NOW);

    expect(interview.getUncommittedEvents()[0].data).toMatchObject({ interviewer_id: 12, interviewee_id: 77, kind: 'in_person', location: null });
    expect(interview.getUncommittedEvents()[0].actor).toEqual(admin);
  });

  it('merges a partial configuration over the defaults, filling in question time (2) and type (audio)', () => {
    const interview = Interview.create(
      input({
        config: {
          interview_name: 'Backend',
          skills: [{ name: 'SQL' }],
          custom_question_list: [{ question: 'Why us?' }, { question: 'Tell a story', time: 4, type: 'text' }],
        },
      }),
      interviewer,
      NOW,
    );

    expect(interview.snapshot().config).toEqual({
      ...DEFAULT_CONFIG,
      interview_name: 'Backend',
      skills: [{ name: 'SQL' }],
      custom_question_list: [
        { question: 'Why us?', time: 2, type: 'audio' },
        { question: 'Tell a story', time: 4, type: 'text' },
      ],
    });
  });

  it('does not put the configuration in the created event', () => {
    const interview = Interview.create(input({ config: { interview_name: 'Backend' } }), interviewer, NOW);
    expect(Object.keys(interview.getUncommittedEvents()[0].data)).not.toContain('interview_name');
    expect(Object.keys(interview.getUncommittedEvents()[0].data)).not.toContain('config');
  });

  it.each([
    ['the end is before the start', START, new Date(START.getTime() - h), 'interview.end_at'],
    ['the end equals the start', START, START, 'interview.end_at'],
    ['it lasts more than 12 hours', START, new Date(START.getTime() + 12 * h + 1000), 'interview.end_at'],
    ['it starts in the past', new Date(NOW.getTime() - h), new Date(NOW.getTime() + h), 'interview.start_at'],
    ['it starts right now', NOW, new Date(NOW.getTime() + h), 'interview.start_at'],
  ])('is validation_failed naming the field when %s', (_name, startAt, endAt, field) => {
    const error = errorOf(() => Interview.create(input({ startAt, endAt }), interviewer, NOW));
    expect(error.code).toBe('validation_failed');
    expect(error.details?.map((d) => d.field)).toEqual([field]);
  });

  it('accepts an interview of exactly 12 hours', () => {
    const interview = Interview.create(input({ endAt: new Date(START.getTime() + 12 * h) }), interviewer, NOW);
    expect(interview.snapshot().status).toBe('pending');
  });

  it('reports every problem at once: bad times and a coding round without a language', () => {
    const error = errorOf(() =>
      Interview.create(input({ startAt: new Date(NOW.getTime() - h), endAt: new Date(NOW.getTime() - 2 * h), config: { only_coding_round: true } }), interviewer, NOW),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.details?.map((d) => d.field)).toEqual(['interview.end_at', 'interview.start_at', 'interview.config.selected_coding_language']);
  });

  it.each([{ only_coding_round: true }, { is_coding_round_required: true }])(
    'refuses a coding round without a selected language (%j)',
    (config) => {
      const error = errorOf(() => Interview.create(input({ config }), interviewer, NOW));
      expect(error.code).toBe('validation_failed');
      expect(error.details).toEqual([
        { field: 'interview.config.selected_coding_language', message: 'is required when only_coding_round or is_coding_round_required is true' },
      ]);
    },
  );

  it('accepts a coding round with its language', () => {
    const interview = Interview.create(input({ config: { is_coding_round_required: true, selected_coding_language: 'python' } }), interviewer, NOW);
    expect(interview.snapshot().config).toMatchObject({ is_coding_round_required: true, selected_coding_language: 'python' });
  });
});
