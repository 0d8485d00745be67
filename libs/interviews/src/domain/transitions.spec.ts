import {
  ACTIONS,
  allowedActions,
  decide,
  FINAL_STATUSES,
  InterviewAction,
  InterviewStatus,
  LIVE_STATUSES,
  ProposingSide,
  Side,
  STATUSES,
  TransitionContext,
} from './transitions';

/**
 * The transition table as `allowed_actions` shows it (API.md, "Status transitions"). Expected lists
 * are written out by hand, in the order of ACTIONS (accept, decline_amendment, amend, reject,
 * cancel, complete, no_show, update_config).
 */

const START = new Date('2030-06-01T11:00:00.000Z');
const BEFORE_START = new Date('2030-06-01T10:00:00.000Z');
const AFTER_START = new Date('2030-06-01T12:00:00.000Z');

function ctx(status: InterviewStatus, amendedBy: ProposingSide | null = null, now = AFTER_START): TransitionContext {
  return { status, amendedBy, startAt: START, now };
}

type Row = [string, TransitionContext, Side, InterviewAction[]];

const pending = ctx('pending');
const scheduledBefore = ctx('scheduled', null, BEFORE_START);
const scheduledAfter = ctx('scheduled');
const amendedByInterviewer = ctx('amended', 'interviewer');
const amendedByInterviewee = ctx('amended', 'interviewee');

const ALLOWED: Row[] = [
  ['pending', pending, 'interviewer', ['amend', 'cancel', 'update_config']],
  ['pending', pending, 'interviewee', ['accept', 'amend', 'reject']],
  ['pending', pending, 'admin', ['accept', 'amend', 'reject', 'cancel', 'update_config']],
  ['pending', pending, 'api_key', ['update_config']],

  ['scheduled, before its start', scheduledBefore, 'interviewer', ['amend', 'cancel', 'update_config']],
  ['scheduled, before its start', scheduledBefore, 'interviewee', ['amend', 'reject']],
  ['scheduled, before its start', scheduledBefore, 'admin', ['amend', 'reject', 'cancel', 'update_config']],
  ['scheduled, before its start', scheduledBefore, 'api_key', ['update_config']],

  ['scheduled, after its start', scheduledAfter, 'interviewer', ['amend', 'cancel', 'complete', 'no_show', 'update_config']],
  ['scheduled, after its start', scheduledAfter, 'interviewee', ['amend', 'reject']],
  ['scheduled, after its start', scheduledAfter, 'admin', ['amend', 'reject', 'cancel', 'complete', 'no_show', 'update_config']],

  ['amended by the interviewer', amendedByInterviewer, 'interviewer', ['amend', 'cancel', 'update_config']],
  ['amended by the interviewer', amendedByInterviewer, 'interviewee', ['accept', 'decline_amendment', 'amend', 'reject']],
  ['amended by the interviewer', amendedByInterviewer, 'admin', ['accept', 'decline_amendment', 'amend', 'reject', 'cancel', 'update_config']],
  ['amended by the interviewer', amendedByInterviewer, 'api_key', ['update_config']],

  ['amended by the interviewee', amendedByInterviewee, 'interviewer', ['accept', 'decline_amendment', 'amend', 'cancel', 'update_config']],
  ['amended by the interviewee', amendedByInterviewee, 'interviewee', ['amend', 'reject']],
  ['amended by the interviewee', amendedByInterviewee, 'admin', ['accept', 'decline_amendment', 'amend', 'reject', 'cancel', 'update_config']],

  ...(['rejected', 'cancelled', 'completed', 'no_show'] as InterviewStatus[]).flatMap((status) =>
    (['interviewer', 'interviewee', 'admin', 'api_key'] as Side[]).map((side): Row => [status, ctx(status), side, []]),
  ),
];

describe('allowedActions', () => {
  it.each(ALLOWED)('%s, for the %s side: %j', (_label, context, side, expected) => {
    expect(allowedActions(side, context)).toEqual(expected);
  });

  it('is what decide allows, action by action', () => {
    for (const [, context, side, expected] of ALLOWED) {
      for (const action of ACTIONS) {
        expect([action, decide(action, side, context).allowed]).toEqual([action, expected.includes(action)]);
      }
    }
  });
});

describe('decide', () => {
  it.each([
    // a side that may never take the action
    ['reject', 'interviewer', pending, 'forbidden'],
    ['cancel', 'interviewee', pending, 'forbidden'],
    ['complete', 'interviewee', scheduledAfter, 'forbidden'],
    ['no_show', 'interviewee', scheduledAfter, 'forbidden'],
    ['update_config', 'interviewee', pending, 'forbidden'],
    ['amend', 'api_key', pending, 'forbidden'],
    ['accept', 'api_key', pending, 'forbidden'],
    // a side that may never, also on a final status
    ['reject', 'interviewer', ctx('cancelled'), 'forbidden'],
    ['cancel', 'interviewee', ctx('completed'), 'forbidden'],
    // the proposer answering its own proposal
    ['accept', 'interviewer', amendedByInterviewer, 'forbidden'],
    ['decline_amendment', 'interviewer', amendedByInterviewer, 'forbidden'],
    ['accept', 'interviewee', amendedByInterviewee, 'forbidden'],
    ['decline_amendment', 'interviewee', amendedByInterviewee, 'forbidden'],
    // a pending interview is the driver's (or an admin's) to accept
    ['accept', 'interviewer', pending, 'forbidden'],
    // a status the table does not allow
    ['accept', 'interviewee', scheduledAfter, 'invalid_transition'],
    ['decline_amendment', 'interviewer', pending, 'invalid_transition'],
    ['decline_amendment', 'admin', scheduledAfter, 'invalid_transition'],
    ['complete', 'interviewer', pending, 'invalid_transition'],
    ['no_show', 'admin', amendedByInterviewee, 'invalid_transition'],
    ['amend', 'interviewer', ctx('cancelled'), 'invalid_transition'],
    ['cancel', 'admin', ctx('rejected'), 'invalid_transition'],
    ['update_config', 'api_key', ctx('completed'), 'invalid_transition'],
    // before start_at
    ['complete', 'interviewer', scheduledBefore, 'invalid_transition'],
    ['no_show', 'admin', scheduledBefore, 'invalid_transition'],
  ] as [InterviewAction, Side, TransitionContext, string][])('%s by the %s side in %j → %s', (action, side, context, code) => {
    const decision = decide(action, side, context);
    expect(decision).toMatchObject({ allowed: false, code });
    expect((decision as { reason: string }).reason).toEqual(expect.any(String));
  });

  it.each([
    ['accept', 'interviewee', pending, 'scheduled'],
    ['accept', 'interviewer', amendedByInterviewee, 'scheduled'],
    ['decline_amendment', 'interviewee', amendedByInterviewer, 'previous'],
    ['amend', 'interviewee', scheduledBefore, 'amended'],
    ['reject', 'admin', amendedByInterviewer, 'rejected'],
    ['cancel', 'interviewer', scheduledBefore, 'cancelled'],
    ['complete', 'interviewer', scheduledAfter, 'completed'],
    ['no_show', 'interviewer', scheduledAfter, 'no_show'],
    ['update_config', 'api_key', amendedByInterviewer, 'unchanged'],
  ] as [InterviewAction, Side, TransitionContext, string][])('%s by the %s side in %j goes to %s', (action, side, context, to) => {
    expect(decide(action, side, context)).toEqual({ allowed: true, to });
  });

  it('complete / no_show are allowed from the very start_at on', () => {
    expect(decide('complete', 'interviewer', ctx('scheduled', null, START)).allowed).toBe(true);
    expect(decide('no_show', 'interviewer', ctx('scheduled', null, new Date(START.getTime() - 1))).allowed).toBe(false);
  });
});

describe('statuses', () => {
  it('live: pending, scheduled, amended; final: rejected, cancelled, completed, no_show', () => {
    expect([...LIVE_STATUSES].sort()).toEqual(['amended', 'pending', 'scheduled']);
    expect([...FINAL_STATUSES].sort()).toEqual(['cancelled', 'completed', 'no_show', 'rejected']);
    expect(STATUSES).toHaveLength(7);
  });

  it.each(['rejected', 'cancelled', 'completed', 'no_show'] as InterviewStatus[])('%s is final: no side may do anything', (status) => {
    for (const side of ['interviewer', 'interviewee', 'admin', 'api_key'] as Side[]) {
      expect(allowedActions(side, ctx(status))).toEqual([]);
    }
  });
});
