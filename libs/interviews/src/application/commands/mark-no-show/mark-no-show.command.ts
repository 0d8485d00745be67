import type { Actor, ExpectedVersions } from '../../../domain';
import { InterviewCommand } from '../interview-command';

/** The driver did not come (once the start has passed). */
export class MarkNoShowCommand extends InterviewCommand {
  constructor(actor: Actor, interviewId: string, expectedVersions: ExpectedVersions) {
    super(actor, interviewId, expectedVersions);
  }
}
