import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { AmendInterviewCommand } from './amend-interview.command';

@CommandHandler(AmendInterviewCommand)
export class AmendInterviewHandler implements ICommandHandler<AmendInterviewCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: AmendInterviewCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => interview.amend(actor, command.startAt, command.endAt, now, expected), command.claim);
    return { id: interview.id, version: interview.version };
  }
}
