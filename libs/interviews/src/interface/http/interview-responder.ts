import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Clock, idempotencyClaimOf } from '#platform';
import type { Principal } from '#identity';
import type { CreateInterviewCommand } from '../../application/commands/create-interview/create-interview.command';
import type { InterviewCommand } from '../../application/commands/interview-command';
import { GetInterviewQuery } from '../../application/queries/get-interview/get-interview.query';
import type { Actor } from '../../domain';
import type { InterviewEnvelope } from './interview.dto';
import { etagOf, parseIfMatch, presentInterview } from './interview.presenter';

export function actorOf(principal: Principal): Actor {
  return principal.type === 'user' ? { type: 'user', id: principal.id, role: principal.role } : { type: 'api_key', id: principal.id };
}

/** Runs a command and answers with the interview as the caller now sees it, with its ETag. */
@Injectable()
export class InterviewResponder {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  /**
   * With an Idempotency-Key, the command carries the request's claim (the change commits with it);
   * when an earlier run of this key had committed its change and died before answering, the change
   * is not made again: the answer is the interview as it now is.
   */
  async run(command: InterviewCommand | CreateInterviewCommand, viewer: Actor, reply: FastifyReply): Promise<InterviewEnvelope> {
    const claim = idempotencyClaimOf(reply.request);
    if (claim?.committedResource) return this.show(claim.committedResource, viewer, reply);
    command.claim = claim;
    const { id } = await this.commands.execute(command);
    return this.show(id, viewer, reply);
  }

  /** An action that takes only the interview and If-Match (accept, reject, complete, …). */
  act(
    Command: new (actor: Actor, interviewId: string, expected: readonly number[] | undefined) => InterviewCommand,
    id: string,
    ifMatch: string | undefined,
    principal: Principal,
    reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    const actor = actorOf(principal);
    return this.run(new Command(actor, id, parseIfMatch(ifMatch)), actor, reply);
  }

  async show(id: string, viewer: Actor, reply: FastifyReply): Promise<InterviewEnvelope> {
    const view = await this.queries.execute(new GetInterviewQuery(viewer, id));
    reply.header('etag', etagOf(view.version));
    return { interview: presentInterview(view, viewer, this.clock.now()) };
  }
}
