import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** The interview took place (once its start has passed). */
export class CompleteInterviewCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions) {
    super(actor, interviewId, expectedVersions);
  }
}
