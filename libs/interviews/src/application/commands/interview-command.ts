import { Command } from '@nestjs/cqrs';
import type { RequestClaim } from '#platform';
import type { Actor, ExpectedVersions } from '../../domain';

/** What every command on one existing interview carries: who acts, on which, and If-Match. */
export abstract class InterviewCommand extends Command<{ id: string; version: number }> {
  /** The request's Idempotency-Key claim, when it has one: the change commits with it. */
  claim?: RequestClaim;

  constructor(
    readonly actor: Actor,
    readonly interviewId: string,
    readonly expectedVersions: ExpectedVersions,
  ) {
    super();
  }
}
