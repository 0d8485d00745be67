import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InterviewChanges } from '../../interview-changes';
import { DeclineAmendmentCommand } from './decline-amendment.command';

@CommandHandler(DeclineAmendmentCommand)
export class DeclineAmendmentHandler implements ICommandHandler<DeclineAmendmentCommand> {
  constructor(private readonly changes: InterviewChanges) {}

  async execute(command: DeclineAmendmentCommand): Promise<{ id: string; version: number }> {
    const { actor, interviewId, expectedVersions: expected } = command;
    const interview = await this.changes.change(interviewId, (interview, now) => interview.declineAmendment(actor, now, expected), command.claim);
    return { id: interview.id, version: interview.version };
  }
}
