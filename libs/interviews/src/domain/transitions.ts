/**
 * The status machine of an interview: one table, consulted both by the aggregate's rule checks
 * and by `allowed_actions` in responses (API.md, "Status transitions").
 */
export const STATUSES = ['pending', 'scheduled', 'amended', 'rejected', 'cancelled', 'completed', 'no_show'] as const;
export type InterviewStatus = (typeof STATUSES)[number];

export const LIVE_STATUSES: readonly InterviewStatus[] = ['pending', 'scheduled', 'amended'];

export const ACTIONS = [
  'accept',
  'decline_amendment',
  'amend',
  'reject',
  'cancel',
  'complete',
  'no_show',
  'update_config',
] as const;
export type InterviewAction = (typeof ACTIONS)[number];

/** Who acts: the interview's two participants, an admin (for the interviewer side), an API key. */
export type Side = 'interviewer' | 'interviewee' | 'admin' | 'api_key';
/** The side that proposed an amendment. An admin's proposal is the interviewer side's. */
export type ProposingSide = 'interviewer' | 'interviewee';

interface Transition {
  action: InterviewAction;
  from: readonly InterviewStatus[];
  /** `previous`: the status before the amendment; `unchanged`: the status stays. */
  to: InterviewStatus | 'previous' | 'unchanged';
  /** `counterpart`: the participant who did not propose the open amendment, or an admin. */
  sides: readonly Side[] | 'counterpart';
  /** Only once the interview's start has passed. */
  afterStart?: boolean;
}

export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: ['pending'], to: 'scheduled', sides: ['interviewee', 'admin'] },
  { action: 'accept', from: ['amended'], to: 'scheduled', sides: 'counterpart' },
  { action: 'decline_amendment', from: ['amended'], to: 'previous', sides: 'counterpart' },
  { action: 'amend', from: LIVE_STATUSES, to: 'amended', sides: ['interviewer', 'interviewee', 'admin'] },
  { action: 'reject', from: LIVE_STATUSES, to: 'rejected', sides: ['interviewee', 'admin'] },
  { action: 'cancel', from: LIVE_STATUSES, to: 'cancelled', sides: ['interviewer', 'admin'] },
  { action: 'complete', from: ['scheduled'], to: 'completed', sides: ['interviewer', 'admin'], afterStart: true },
  { action: 'no_show', from: ['scheduled'], to: 'no_show', sides: ['interviewer', 'admin'], afterStart: true },
  { action: 'update_config', from: LIVE_STATUSES, to: 'unchanged', sides: ['interviewer', 'admin', 'api_key'] },
];

export interface TransitionContext {
  status: InterviewStatus;
  amendedBy: ProposingSide | null;
  startAt: Date;
  now: Date;
}

export type Decision =
  | { allowed: true; to: InterviewStatus | 'previous' | 'unchanged' }
  | { allowed: false; code: 'forbidden' | 'invalid_transition'; reason: string };

const COUNTERPART_SIDES: readonly Side[] = ['interviewer', 'interviewee', 'admin'];

function sidesOf(transition: Transition, amendedBy: ProposingSide | null): readonly Side[] {
  if (transition.sides !== 'counterpart') return transition.sides;
  return COUNTERPART_SIDES.filter((side) => side === 'admin' || side !== amendedBy);
}

/**
 * May `side` take `action` now? A side that may never take the action is `forbidden` (403); one
 * that may, but not from this status (or not before the start), meets `invalid_transition` (409).
 */
export function decide(action: InterviewAction, side: Side, ctx: TransitionContext): Decision {
  const rows = TRANSITIONS.filter((t) => t.action === action);
  const everAllowed = rows.some((t) => (t.sides === 'counterpart' ? COUNTERPART_SIDES : t.sides).includes(side));
  if (!everAllowed) return { allowed: false, code: 'forbidden', reason: `the ${side} side may not ${words(action)} this interview` };
  const row = rows.find((t) => t.from.includes(ctx.status));
  if (!row) {
    return { allowed: false, code: 'invalid_transition', reason: `cannot ${words(action)} an interview that is ${ctx.status}` };
  }
  if (!sidesOf(row, ctx.amendedBy).includes(side)) {
    const reason =
      row.sides === 'counterpart'
        ? `only the other side may ${action === 'accept' ? 'accept' : 'decline'} the ${side}'s own proposal`
        : `the ${side} side may not ${words(action)} an interview that is ${ctx.status}`;
    return { allowed: false, code: 'forbidden', reason };
  }
  if (row.afterStart && ctx.now.getTime() < ctx.startAt.getTime()) {
    return { allowed: false, code: 'invalid_transition', reason: `cannot ${words(action)} an interview before it starts` };
  }
  return { allowed: true, to: row.to };
}

/** What `side` may do now, in the table's order: the `allowed_actions` of a response. */
export function allowedActions(side: Side, ctx: TransitionContext): InterviewAction[] {
  return ACTIONS.filter((action) => decide(action, side, ctx).allowed);
}

export const FINAL_STATUSES: readonly InterviewStatus[] = STATUSES.filter((s) => !LIVE_STATUSES.includes(s));

const WORDS: Record<InterviewAction, string> = {
  accept: 'accept',
  decline_amendment: 'decline the amendment of',
  amend: 'amend',
  reject: 'reject',
  cancel: 'cancel',
  complete: 'complete',
  no_show: 'mark as no-show',
  update_config: 'update the configuration of',
};

function words(action: InterviewAction): string {
  return WORDS[action];
}
