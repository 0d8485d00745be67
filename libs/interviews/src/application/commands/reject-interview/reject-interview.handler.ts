import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IntervieweeRepository } from '../../../domain';
import { InterviewChanges } from '../../interview-changes';
import { RejectInterviewCommand } from './reject-interview.command';

@CommandHandler(RejectInterviewCommand)
export class RejectInterviewHandler implements ICommandHandler<RejectInterviewCommand> {
  constructor(
    private readonly changes: InterviewChanges,
    private readonly interviewees: IntervieweeRepository,
  ) {}

  async execute(command: RejectInterviewCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, async (interview, now, tx) => {
      interview.reject(actor, now, expected);
      await this.interviewees.markRejected(interview.snapshot().intervieweeId, now, tx);
    }, command.claim);
    return { id: interview.id, version: interview.version };
  }
}
