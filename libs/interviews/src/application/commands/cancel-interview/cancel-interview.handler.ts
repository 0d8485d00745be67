import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { CancelInterviewCommand } from './cancel-interview.command';

@CommandHandler(CancelInterviewCommand)
export class CancelInterviewHandler implements ICommandHandler<CancelInterviewCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: CancelInterviewCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => interview.cancel(actor, command.reason, now, expected), command.claim);
    return { id: interview.id, version: interview.version };
  }
}
