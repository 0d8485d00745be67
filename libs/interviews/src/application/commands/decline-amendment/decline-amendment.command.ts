import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** Drops the other side's proposal; the interview keeps its times and returns to its earlier status. */
export class DeclineAmendmentCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions) {
    super(actor, interviewId, expectedVersions);
  }
}
