import type { RequestClaim } from '#platform';
import { Command } from '@nestjs/cqrs';
import type { Actor, InterviewConfigPatch, InterviewKind } from '../../../domain';

export class CreateInterviewCommand extends Command<{ id: string }> {
  /** The request's Idempotency-Key claim, when it has one: the new interview commits with it. */
  claim?: RequestClaim;

  constructor(
    readonly actor: Actor,
    readonly input: {
      /** Required when an admin creates; an interviewer creates for themself. */
      interviewerId?: string;
      intervieweeId: string;
      startAt: Date;
      endAt: Date;
      kind: InterviewKind;
      location: string | null;
      config?: InterviewConfigPatch;
    },
  ) {
    super();
  }
}
