import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock, ForbiddenError, UnitOfWork, ValidationFailedError } from '#platform';
import { UsersService } from '#identity';
import { Interview, IntervieweeRepository, InterviewRepository } from '../../../domain';
import { InterviewChanges } from '../../interview-changes';
import { CreateInterviewCommand } from './create-interview.command';

/**
 * An interviewer books an interview for themself; an admin names the interviewer. The exclusion
 * constraint, not a read before the write, keeps the interviewer from being double-booked.
 */
@CommandHandler(CreateInterviewCommand)
export class CreateInterviewHandler implements ICommandHandler<CreateInterviewCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly interviews: InterviewRepository,
    private readonly interviewees: IntervieweeRepository,
    private readonly users: UsersService,
    private readonly changes: InterviewChanges,
    private readonly clock: Clock,
  ) {}

  async execute({ actor, input, claim }: CreateInterviewCommand): Promise<{ id: string }> {
    const interviewerId = await this.interviewerFor(actor, input.interviewerId);
    const interview = await this.uow.run(async (tx) => {
      const interviewee = await this.interviewees.findById(input.intervieweeId, tx);
      if (!interviewee) {
        throw ValidationFailedError.of([{ field: 'interview.interviewee_id', message: 'does not exist' }]);
      }
      const created = Interview.create(
        {
          id: await this.interviews.nextId(),
          interviewerId,
          intervieweeId: interviewee.id,
          driverId: interviewee.driverId,
          kind: input.kind,
          location: input.location,
          startAt: input.startAt,
          endAt: input.endAt,
          config: input.config,
        },
        actor,
        this.clock.now(),
      );
      await this.changes.saveAndPublish(created, tx, claim);
      return created;
    });
    return { id: interview.id };
  }

  private async interviewerFor(actor: CreateInterviewCommand['actor'], named?: string): Promise<string> {
    if (actor.type !== 'user' || actor.role === 'driver') throw new ForbiddenError('only interviewers and admins create interviews');
    if (actor.role === 'interviewer') {
      if (named !== undefined && named !== actor.id) {
        throw new ForbiddenError('an interviewer creates interviews for themself only');
      }
      return actor.id;
    }
    if (named === undefined) {
      throw ValidationFailedError.of([{ field: 'interview.interviewer_id', message: 'is required when an admin creates an interview' }]);
    }
    const user = await this.users.findById(named);
    if (!user || user.role !== 'interviewer') {
      throw ValidationFailedError.of([{ field: 'interview.interviewer_id', message: 'must be an interviewer' }]);
    }
    return named;
  }
}
