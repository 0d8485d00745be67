import { Injectable } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { Clock } from '#platform';
import type { Principal } from '#identity';
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

  async run(command: Parameters<CommandBus['execute']>[0], viewer: Actor, reply: FastifyReply): Promise<InterviewEnvelope> {
    const { id } = (await this.commands.execute(command)) as { id: string };
    return this.show(id, viewer, reply);
  }

  /** An action that takes only the interview and If-Match (accept, reject, complete, …). */
  act(
    Command: new (actor: Actor, interviewId: string, expected: readonly number[] | undefined) => object,
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
