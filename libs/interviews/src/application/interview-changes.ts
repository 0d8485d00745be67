import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Clock, NotFoundError, type Transaction, UnitOfWork } from '#platform';
import { Interview, InterviewRepository } from '../domain';

/**
 * The write path every lifecycle command shares (DESIGN.md, "The write path"): in one transaction
 * load the interview with a row lock, let the aggregate act, save it with its events; after the
 * commit, hand the events to the in-process EventBus. Parallel commands on one interview queue on
 * the row lock and each runs on the state the one before it left.
 */
@Injectable()
export class InterviewChanges {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly interviews: InterviewRepository,
    private readonly eventBus: EventBus,
    private readonly clock: Clock,
  ) {}

  async change(id: string, act: (interview: Interview, now: Date, tx: Transaction) => void | Promise<void>): Promise<Interview> {
    const interview = await this.uow.run(async (tx) => {
      const loaded = await this.interviews.findForUpdate(id, tx);
      if (!loaded) throw new NotFoundError('interview not found');
      await act(loaded, this.clock.now(), tx);
      await this.interviews.save(loaded, tx);
      return loaded;
    });
    this.publish(interview);
    return interview;
  }

  /** After the commit only: subscribers never hear of a change that was rolled back. */
  publish(interview: Interview): void {
    // A copy: uncommit() empties the aggregate's own list in place.
    const events = [...interview.getUncommittedEvents()];
    interview.uncommit();
    if (events.length) this.eventBus.publishAll(events);
  }
}
