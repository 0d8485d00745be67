import { DEFAULT_CONFIG } from './interview-config';
import { Interview, InterviewState } from './interview';
import type { Actor } from './actor';

/**
 * The interview aggregate against API.md's "Status transitions" table. The expected outcome of
 * every (status × action × side) cell is written out below by hand from the contract, not derived
 * from `decide`, so that a wrong row in transitions.ts shows up as a failing cell.
 */

const interviewer: Actor = { type: 'user', id: '1', role: 'interviewer' };
const driver: Actor = { type: 'user', id: '2', role: 'driver' };
const admin: Actor = { type: 'user', id: '9', role: 'admin' };
const strangerInterviewer: Actor = { type: 'user', id: '3', role: 'interviewer' };
const strangerDriver: Actor = { type: 'user', id: '4', role: 'driver' };

/** "now" is one hour after the interview's start, so that complete / no_show can succeed. */
const NOW = new Date('2030-06-01T12:00:00.000Z');
const START = new Date('2030-06-01T11:00:00.000Z');
const END = new Date('2030-06-01T11:30:00.000Z');
/** The open proposal of the amended states. */
const OPEN_START = new Date('2030-06-02T10:00:00.000Z');
const OPEN_END = new Date('2030-06-02T10:30:00.000Z');
/** A valid new proposal: in the future, 45 minutes, different from everything above. */
const NEW_START = new Date('2030-06-03T09:00:00.000Z');
const NEW_END = new Date('2030-06-03T09:45:00.000Z');

type StatusKey =
  | 'pending'
  | 'scheduled'
  | 'amended (proposed by interviewer)'
  | 'amended (proposed by interviewee)'
  | 'rejected'
  | 'cancelled'
  | 'completed'
  | 'no_show';
type Action = 'accept' | 'decline_amendment' | 'amend' | 'reject' | 'cancel' | 'complete' | 'no_show';
type SideName = 'interviewer' | 'interviewee' | 'admin';

const ACTORS: Record<SideName, Actor> = { interviewer, interviewee: driver, admin };

function stateOf(key: StatusKey, overrides: Partial<InterviewState> = {}): InterviewState {
  const base: InterviewState = {
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
    config: { ...DEFAULT_CONFIG },
    version: 4,
  };
  switch (key) {
    case 'amended (proposed by interviewer)':
      // amended from pending: declining goes back to pending
      return { ...base, status: 'amended', statusBeforeAmendment: 'pending', proposal: { startAt: OPEN_START, endAt: OPEN_END, by: 'interviewer' }, ...overrides };
    case 'amended (proposed by interviewee)':
      // amended from scheduled: declining goes back to scheduled
      return { ...base, status: 'amended', statusBeforeAmendment: 'scheduled', proposal: { startAt: OPEN_START, endAt: OPEN_END, by: 'interviewee' }, ...overrides };
    default:
      return { ...base, status: key, ...overrides };
  }
}

function build(key: StatusKey, overrides: Partial<InterviewState> = {}): Interview {
  return Interview.rehydrate(stateOf(key, overrides));
}

function act(interview: Interview, action: Action, actor: Actor, now = NOW, expected?: readonly number[]): void {
  switch (action) {
    case 'accept':
      return interview.accept(actor, now, expected);
    case 'decline_amendment':
      return interview.declineAmendment(actor, now, expected);
    case 'amend':
      return interview.amend(actor, NEW_START, NEW_END, now, expected);
    case 'reject':
      return interview.reject(actor, now, expected);
    case 'cancel':
      return interview.cancel(actor, 'a reason', now, expected);
    case 'complete':
      return interview.complete(actor, now, expected);
    case 'no_show':
      return interview.markNoShow(actor, now, expected);
  }
}

function errorOf(fn: () => void): { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string };
  }
  throw new Error('expected the action to throw');
}

function eventTypes(interview: Interview): string[] {
  return interview.getUncommittedEvents().map((e) => e.type);
}

// ---- the expected outcome of every cell, from API.md's table -------------------------------

type Cell = { status: string; event: string } | 'forbidden' | 'invalid_transition';
const F = 'forbidden' as const;
const X = 'invalid_transition' as const;

/** [interviewer, interviewee, admin] */
const EXPECTED: Record<StatusKey, Record<Action, [Cell, Cell, Cell]>> = {
  pending: {
    accept: [F, { status: 'scheduled', event: 'interview.accepted' }, { status: 'scheduled', event: 'interview.accepted' }],
    decline_amendment: [X, X, X],
    amend: [
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
    ],
    reject: [F, { status: 'rejected', event: 'interview.rejected' }, { status: 'rejected', event: 'interview.rejected' }],
    cancel: [{ status: 'cancelled', event: 'interview.cancelled' }, F, { status: 'cancelled', event: 'interview.cancelled' }],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
  scheduled: {
    accept: [X, X, X],
    decline_amendment: [X, X, X],
    amend: [
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
    ],
    reject: [F, { status: 'rejected', event: 'interview.rejected' }, { status: 'rejected', event: 'interview.rejected' }],
    cancel: [{ status: 'cancelled', event: 'interview.cancelled' }, F, { status: 'cancelled', event: 'interview.cancelled' }],
    complete: [{ status: 'completed', event: 'interview.completed' }, F, { status: 'completed', event: 'interview.completed' }],
    no_show: [{ status: 'no_show', event: 'interview.no_show' }, F, { status: 'no_show', event: 'interview.no_show' }],
  },
  'amended (proposed by interviewer)': {
    accept: [
      F,
      { status: 'scheduled', event: 'interview.amendment_accepted' },
      { status: 'scheduled', event: 'interview.amendment_accepted' },
    ],
    decline_amendment: [
      F,
      { status: 'pending', event: 'interview.amendment_declined' },
      { status: 'pending', event: 'interview.amendment_declined' },
    ],
    amend: [
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
    ],
    reject: [F, { status: 'rejected', event: 'interview.rejected' }, { status: 'rejected', event: 'interview.rejected' }],
    cancel: [{ status: 'cancelled', event: 'interview.cancelled' }, F, { status: 'cancelled', event: 'interview.cancelled' }],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
  'amended (proposed by interviewee)': {
    accept: [
      { status: 'scheduled', event: 'interview.amendment_accepted' },
      F,
      { status: 'scheduled', event: 'interview.amendment_accepted' },
    ],
    decline_amendment: [
      { status: 'scheduled', event: 'interview.amendment_declined' },
      F,
      { status: 'scheduled', event: 'interview.amendment_declined' },
    ],
    amend: [
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
      { status: 'amended', event: 'interview.amended' },
    ],
    reject: [F, { status: 'rejected', event: 'interview.rejected' }, { status: 'rejected', event: 'interview.rejected' }],
    cancel: [{ status: 'cancelled', event: 'interview.cancelled' }, F, { status: 'cancelled', event: 'interview.cancelled' }],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
  rejected: {
    accept: [X, X, X],
    decline_amendment: [X, X, X],
    amend: [X, X, X],
    reject: [F, X, X],
    cancel: [X, F, X],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
  cancelled: {
    accept: [X, X, X],
    decline_amendment: [X, X, X],
    amend: [X, X, X],
    reject: [F, X, X],
    cancel: [X, F, X],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
  completed: {
    accept: [X, X, X],
    decline_amendment: [X, X, X],
    amend: [X, X, X],
    reject: [F, X, X],
    cancel: [X, F, X],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
  no_show: {
    accept: [X, X, X],
    decline_amendment: [X, X, X],
    amend: [X, X, X],
    reject: [F, X, X],
    cancel: [X, F, X],
    complete: [X, F, X],
    no_show: [X, F, X],
  },
};

const SIDES: SideName[] = ['interviewer', 'interviewee', 'admin'];
const GRID = (Object.keys(EXPECTED) as StatusKey[]).flatMap((status) =>
  (Object.keys(EXPECTED[status]) as Action[]).flatMap((action) =>
    SIDES.map((side, i) => [status, action, side, EXPECTED[status][action][i]] as [StatusKey, Action, SideName, Cell]),
  ),
);

describe('Interview transitions: every (status × action × side) cell', () => {
  it('covers 8 statuses × 7 actions × 3 sides', () => {
    expect(GRID).toHaveLength(8 * 7 * 3);
  });

  const allowed = GRID.filter((row) => typeof row[3] !== 'string') as [StatusKey, Action, SideName, { status: string; event: string }][];
  const refused = GRID.filter((row) => typeof row[3] === 'string') as [StatusKey, Action, SideName, 'forbidden' | 'invalid_transition'][];

  it.each(allowed)('%s: %s by the %s side → %j', (status, action, side, expected) => {
    const interview = build(status);
    act(interview, action, ACTORS[side]);

    expect(interview.snapshot().status).toBe(expected.status);
    expect(interview.version).toBe(5);
    const events = interview.getUncommittedEvents();
    expect(events.map((e) => e.type)).toEqual([expected.event]);
    expect(events[0].interviewId).toBe('100');
    expect(events[0].actor).toEqual(ACTORS[side]);
    expect(events[0].occurredAt).toEqual(NOW);
  });

  it.each(refused)('%s: %s by the %s side is refused with %s and changes nothing', (status, action, side, code) => {
    const interview = build(status);
    const before = structuredClone(interview.snapshot());

    expect(errorOf(() => act(interview, action, ACTORS[side])).code).toBe(code);

    expect(interview.version).toBe(4);
    expect(interview.snapshot().status).toBe(before.status);
    expect(interview.snapshot()).toEqual(before);
    expect(interview.getUncommittedEvents()).toEqual([]);
  });
});

describe('complete and no_show before start_at', () => {
  const beforeStart = new Date(START.getTime() - 60_000);
  it.each([
    ['complete', 'interviewer', X],
    ['complete', 'admin', X],
    ['complete', 'interviewee', F],
    ['no_show', 'interviewer', X],
    ['no_show', 'admin', X],
    ['no_show', 'interviewee', F],
  ] as [Action, SideName, string][])('%s of a scheduled interview by the %s side before its start → %s', (action, side, code) => {
    const interview = build('scheduled');
    expect(errorOf(() => act(interview, action, ACTORS[side], beforeStart)).code).toBe(code);
    expect(interview.version).toBe(4);
    expect(interview.snapshot().status).toBe('scheduled');
    expect(interview.getUncommittedEvents()).toEqual([]);
  });

  it.each(['complete', 'no_show'] as Action[])('%s succeeds once start_at is reached', (action) => {
    const interview = build('scheduled');
    act(interview, action, interviewer, START);
    expect(interview.snapshot().status).toBe(action === 'complete' ? 'completed' : 'no_show');
  });
});

describe('amend: the proposal rules', () => {
  const h = 3600_000;
  it.each([
    ['the end is before the start', new Date(NOW.getTime() + 5 * h), new Date(NOW.getTime() + 4 * h), 'interview.amend_end_at'],
    ['the end equals the start', new Date(NOW.getTime() + 5 * h), new Date(NOW.getTime() + 5 * h), 'interview.amend_end_at'],
    ['it lasts more than 12 hours', new Date(NOW.getTime() + 5 * h), new Date(NOW.getTime() + 17 * h + 1000), 'interview.amend_end_at'],
    ['it starts in the past', new Date(NOW.getTime() - h), new Date(NOW.getTime() + h), 'interview.amend_start_at'],
    ['it starts right now', NOW, new Date(NOW.getTime() + h), 'interview.amend_start_at'],
    ['it equals the current times', START, END, 'interview.amend_start_at'],
  ])('is validation_failed when %s', (_name, startAt, endAt, field) => {
    // START/END lie in the past relative to NOW; for the "equal" case move the interview to the future
    const future = { startAt: new Date(NOW.getTime() + 48 * h), endAt: new Date(NOW.getTime() + 49 * h) };
    const interview = build('scheduled', future);
    const [s, e] = startAt === START ? [future.startAt, future.endAt] : [startAt, endAt];
    const before = structuredClone(interview.snapshot());

    const error = errorOf(() => interview.amend(interviewer, s, e, NOW)) as { code?: string; details?: { field: string }[] };

    expect(error.code).toBe('validation_failed');
    expect(error.details?.map((d) => d.field)).toContain(field);
    expect(interview.snapshot()).toEqual(before);
    expect(interview.getUncommittedEvents()).toEqual([]);
  });

  it('accepts a proposal of exactly 12 hours', () => {
    const interview = build('pending');
    interview.amend(interviewer, NEW_START, new Date(NEW_START.getTime() + 12 * h), NOW);
    expect(interview.snapshot().status).toBe('amended');
  });

  it('accepts a proposal that differs only in its end', () => {
    const future = { startAt: new Date(NOW.getTime() + 48 * h), endAt: new Date(NOW.getTime() + 49 * h) };
    const interview = build('pending', future);
    interview.amend(driver, future.startAt, new Date(future.endAt.getTime() + 15 * 60_000), NOW);
    expect(interview.snapshot().proposal).toMatchObject({ startAt: future.startAt, by: 'interviewee' });
  });

  it.each(['cancelled', 'completed', 'rejected'] as StatusKey[])(
    'checks the input before the status: a bad proposal on a %s interview is validation_failed',
    (status) => {
      const interview = build(status);
      const error = errorOf(() => interview.amend(interviewer, NEW_END, NEW_START, NOW));
      expect(error.code).toBe('validation_failed');
      expect(interview.version).toBe(4);
    },
  );
});

describe('expected versions (If-Match)', () => {
  it.each(['accept', 'amend', 'reject', 'decline_amendment'] as Action[])('%s with a stale version is precondition_failed and changes nothing', (action) => {
    const interview = build(action === 'decline_amendment' ? 'amended (proposed by interviewer)' : 'pending');
    const before = structuredClone(interview.snapshot());
    expect(errorOf(() => act(interview, action, driver, NOW, [3])).code).toBe('precondition_failed');
    expect(interview.snapshot()).toEqual(before);
    expect(interview.getUncommittedEvents()).toEqual([]);
  });

  it('a stale version on cancel by the interviewer is precondition_failed', () => {
    const interview = build('scheduled');
    expect(errorOf(() => act(interview, 'cancel', interviewer, NOW, [1, 2, 3])).code).toBe('precondition_failed');
    expect(interview.version).toBe(4);
  });

  it('the current version (alone or among others) lets the action through', () => {
    const a = build('pending');
    a.accept(driver, NOW, [4]);
    expect(a.snapshot().status).toBe('scheduled');
    const b = build('pending');
    b.cancel(interviewer, null, NOW, [2, 4]);
    expect(b.snapshot().status).toBe('cancelled');
  });

  it('an empty list of versions (only unparsable tags) matches nothing', () => {
    const interview = build('pending');
    expect(errorOf(() => interview.accept(driver, NOW, [])).code).toBe('precondition_failed');
  });
});

describe('a user who is not a participant', () => {
  const actions: Action[] = ['accept', 'decline_amendment', 'amend', 'reject', 'cancel', 'complete', 'no_show'];
  it.each(actions.flatMap((a) => [[a, 'interviewer', strangerInterviewer], [a, 'driver', strangerDriver]] as [Action, string, Actor][]))(
    '%s by another %s is not_found (the interview is not revealed)',
    (action, _role, stranger) => {
      const interview = build('amended (proposed by interviewer)');
      const before = structuredClone(interview.snapshot());
      expect(errorOf(() => act(interview, action, stranger)).code).toBe('not_found');
      expect(interview.snapshot()).toEqual(before);
      expect(interview.getUncommittedEvents()).toEqual([]);
    },
  );

  it('sees no allowed actions', () => {
    expect(build('pending').allowedActionsFor(strangerInterviewer, NOW)).toEqual([]);
    expect(build('pending').allowedActionsFor(strangerDriver, NOW)).toEqual([]);
  });
});

describe('amendments', () => {
  it('records the proposal, who made it and the times it would replace', () => {
    const interview = build('scheduled');
    interview.amend(driver, NEW_START, NEW_END, NOW);

    const s = interview.snapshot();
    expect(s).toMatchObject({
      status: 'amended',
      startAt: START,
      endAt: END,
      proposal: { startAt: NEW_START, endAt: NEW_END, by: 'interviewee' },
      statusBeforeAmendment: 'scheduled',
      version: 5,
    });
    expect(interview.getUncommittedEvents()[0].data).toEqual({
      amend_start_at: NEW_START.toISOString(),
      amend_end_at: NEW_END.toISOString(),
      amended_by: 'interviewee',
      start_at: START.toISOString(),
      end_at: END.toISOString(),
      previous_status: 'scheduled',
      replaced_proposal: null,
    });
  });

  it("an admin's amendment is the interviewer side's (amended_by interviewer)", () => {
    const interview = build('pending');
    interview.amend(admin, NEW_START, NEW_END, NOW);

    expect(interview.snapshot().proposal?.by).toBe('interviewer');
    expect(interview.getUncommittedEvents()[0].data).toMatchObject({ amended_by: 'interviewer' });
    // so the interviewer may not accept it, the driver may
    expect(interview.allowedActionsFor(interviewer, NOW)).not.toContain('accept');
    expect(errorOf(() => interview.accept(interviewer, NOW)).code).toBe('forbidden');
    interview.accept(driver, NOW);
    expect(interview.snapshot().status).toBe('scheduled');
  });

  it('accepting an amendment moves start_at/end_at to the proposal and clears it', () => {
    const interview = build('amended (proposed by interviewee)');
    interview.accept(interviewer, NOW);

    expect(interview.snapshot()).toMatchObject({
      status: 'scheduled',
      startAt: OPEN_START,
      endAt: OPEN_END,
      proposal: null,
      statusBeforeAmendment: null,
      version: 5,
    });
    expect(interview.getUncommittedEvents()[0].data).toEqual({
      start_at: OPEN_START.toISOString(),
      end_at: OPEN_END.toISOString(),
      previous_start_at: START.toISOString(),
      previous_end_at: END.toISOString(),
      amended_by: 'interviewee',
      status: 'scheduled',
    });
  });

  it('declining keeps the times and clears the proposal', () => {
    const interview = build('amended (proposed by interviewer)');
    interview.declineAmendment(driver, NOW);
    expect(interview.snapshot()).toMatchObject({
      status: 'pending',
      startAt: START,
      endAt: END,
      proposal: null,
      statusBeforeAmendment: null,
    });
  });

  it.each([
    ['pending', [driver, interviewer] as const, driver],
    ['pending', [interviewer, driver] as const, interviewer],
    ['scheduled', [driver, admin] as const, driver],
    ['scheduled', [interviewer, driver] as const, admin],
  ] as [StatusKey, readonly [Actor, Actor], Actor][])(
    'declining after two successive amends of a %s interview returns it to that status',
    (status, [first, second], decliner) => {
      const interview = build(status);
      const later = new Date(NEW_START.getTime() + 24 * 3600_000);
      interview.amend(first, NEW_START, NEW_END, NOW);
      interview.amend(second, later, new Date(later.getTime() + 1800_000), NOW);
      expect(interview.snapshot().status).toBe('amended');

      interview.declineAmendment(decliner, NOW);

      expect(interview.snapshot()).toMatchObject({ status, startAt: START, endAt: END, proposal: null, version: 7 });
      expect(eventTypes(interview)).toEqual(['interview.amended', 'interview.amended', 'interview.amendment_declined']);
      const [, secondAmend, declined] = interview.getUncommittedEvents();
      expect(secondAmend.data).toMatchObject({
        previous_status: 'amended',
        replaced_proposal: { amend_start_at: NEW_START.toISOString(), amend_end_at: NEW_END.toISOString() },
      });
      expect(declined.data).toMatchObject({ status });
    },
  );

  it('a new proposal by the other side replaces the open one; the original proposer may then accept', () => {
    const interview = build('amended (proposed by interviewer)');
    interview.amend(driver, NEW_START, NEW_END, NOW);
    expect(interview.snapshot().proposal).toEqual({ startAt: NEW_START, endAt: NEW_END, by: 'interviewee' });
    interview.accept(interviewer, NOW);
    expect(interview.snapshot()).toMatchObject({ status: 'scheduled', startAt: NEW_START, endAt: NEW_END });
  });
});

describe('cancel, reject', () => {
  it('cancel records the reason in the state and the event', () => {
    const interview = build('scheduled');
    interview.cancel(interviewer, 'driver found another job', NOW);
    expect(interview.snapshot().cancelReason).toBe('driver found another job');
    expect(interview.getUncommittedEvents()[0].data).toEqual({ previous_status: 'scheduled', status: 'cancelled', reason: 'driver found another job' });
  });

  it('reject of an amended interview records its previous status', () => {
    const interview = build('amended (proposed by interviewer)');
    interview.reject(driver, NOW);
    expect(interview.getUncommittedEvents()[0].data).toEqual({ previous_status: 'amended', status: 'rejected' });
  });
});

describe('allowedActionsFor', () => {
  const apiKey: Actor = { type: 'api_key', id: '7' };
  it.each([
    ['pending', interviewer, ['amend', 'cancel', 'update_config']],
    ['pending', driver, ['accept', 'amend', 'reject']],
    ['pending', admin, ['accept', 'amend', 'reject', 'cancel', 'update_config']],
    ['pending', apiKey, ['update_config']],
    ['scheduled', interviewer, ['amend', 'cancel', 'complete', 'no_show', 'update_config']],
    ['scheduled', driver, ['amend', 'reject']],
    ['amended (proposed by interviewee)', interviewer, ['accept', 'decline_amendment', 'amend', 'cancel', 'update_config']],
    ['amended (proposed by interviewee)', driver, ['amend', 'reject']],
    ['cancelled', admin, []],
  ] as [StatusKey, Actor, string[]][])('%s, for %j (after the start): %j', (status, actor, expected) => {
    expect(build(status).allowedActionsFor(actor, NOW)).toEqual(expected);
  });

  it('before the start, the interviewer of a scheduled interview may not complete or mark no-show', () => {
    const before = new Date(START.getTime() - 1);
    expect(build('scheduled').allowedActionsFor(interviewer, before)).toEqual(['amend', 'cancel', 'update_config']);
  });
});
