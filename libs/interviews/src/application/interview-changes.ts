import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { Clock, IdempotencyLedger, NotFoundError, type RequestClaim, type Transaction, UnitOfWork } from '#platform';
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
    private readonly ledger: IdempotencyLedger,
  ) {}

  async change(
    id: string,
    act: (interview: Interview, now: Date, tx: Transaction) => void | Promise<void>,
    claim?: RequestClaim,
  ): Promise<Interview> {
    return this.uow.run(async (tx) => {
      const loaded = await this.interviews.findForUpdate(id, tx);
      if (!loaded) throw new NotFoundError('interview not found');
      await act(loaded, this.clock.now(), tx);
      await this.saveAndPublish(loaded, tx, claim);
      return loaded;
    });
  }

  /**
   * Saves the interview with its events in `tx`, and hands the events to the EventBus once the
   * transaction has committed (the outer one, when a batch joins its use cases into one):
   * subscribers never hear of a change that was rolled back. With the request's Idempotency-Key
   * claim, the key records the change in the same transaction (IdempotencyLedger): a retry of a
   * request whose change committed never runs it again.
   */
  async saveAndPublish(interview: Interview, tx: Transaction, claim?: RequestClaim): Promise<void> {
    await this.interviews.save(interview, tx);
    if (claim && interview.getUncommittedEvents().length > 0) await this.ledger.recordCommit(claim, interview.id, tx);
    this.uow.afterCommit(tx, () => this.publish(interview));
  }

  private publish(interview: Interview): void {
    // A copy: uncommit() empties the aggregate's own list in place.
    const events = [...interview.getUncommittedEvents()];
    interview.uncommit();
    if (events.length) this.eventBus.publishAll(events);
  }
}
