import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, Clock, IdempotentMutations, ParseIdPipe } from '#platform';
import { CurrentPrincipal, type Principal, Roles } from '#identity';
import { AcceptInterviewCommand } from '../../application/commands/accept-interview/accept-interview.command';
import { AmendInterviewCommand } from '../../application/commands/amend-interview/amend-interview.command';
import { CancelInterviewCommand } from '../../application/commands/cancel-interview/cancel-interview.command';
import { CompleteInterviewCommand } from '../../application/commands/complete-interview/complete-interview.command';
import { CreateInterviewCommand } from '../../application/commands/create-interview/create-interview.command';
import { DeclineAmendmentCommand } from '../../application/commands/decline-amendment/decline-amendment.command';
import { MarkNoShowCommand } from '../../application/commands/mark-no-show/mark-no-show.command';
import { RejectInterviewCommand } from '../../application/commands/reject-interview/reject-interview.command';
import { UpdateInterviewConfigCommand } from '../../application/commands/update-interview-config/update-interview-config.command';
import { ListInterviewEventsQuery } from '../../application/queries/list-interview-events/list-interview-events.query';
import { ListInterviewsQuery } from '../../application/queries/list-interviews/list-interviews.query';
import {
  AmendInterviewRequest,
  CancelInterviewRequest,
  CreateInterviewRequest,
  InterviewEnvelope,
  InterviewEventList,
  InterviewList,
  ListInterviewsParams,
  NoBody,
  SEED_AMEND_EXAMPLE,
} from './interview.dto';
import { InterviewConfigDto, SEED_UPDATE_EXAMPLE } from './config.dto';
import { actorOf, InterviewResponder } from './interview-responder';
import { parseIfMatch, presentInterview } from './interview.presenter';

const IF_MATCH = ApiHeader({ name: 'If-Match', required: false, description: 'An ETag from an earlier answer; a stale one gets 412' });

@ApiTags('interviews')
@ApiBearerAuth('bearer')
@IdempotentMutations()
@Controller('api/v1/interviews')
export class InterviewsController {
  constructor(
    private readonly responder: InterviewResponder,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Roles('interviewer', 'admin')
  @ApiOperation({ summary: 'Book an interview (status pending); admins name the interviewer' })
  @ApiCreatedResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 409, 413)
  create(
    @Body() { interview: input }: CreateInterviewRequest,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    const actor = actorOf(principal);
    const command = new CreateInterviewCommand(actor, {
      interviewerId: input.interviewer_id === undefined ? undefined : String(input.interviewer_id),
      intervieweeId: String(input.interviewee_id),
      startAt: new Date(input.start_at),
      endAt: new Date(input.end_at),
      kind: input.kind,
      location: input.location ?? null,
      config: input.config,
    });
    return this.responder.run(command, actor, reply);
  }

  @Get()
  @ApiOperation({ summary: 'Interviews you take part in (admins: all), ordered by start_at' })
  @ApiOkResponse({ type: InterviewList })
  @ApiErrors(400, 401)
  async list(@Query() params: ListInterviewsParams, @CurrentPrincipal() principal: Principal): Promise<InterviewList> {
    return listInterviews(this.queries, this.clock, actorOf(principal), params);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One interview (404 unless you take part in it or are an admin)' })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 404)
  show(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.show(id, actorOf(principal), reply);
  }

  @Post(':id/amend')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: 'Propose new times (status amended); replaces an open proposal' })
  @ApiBody({ type: AmendInterviewRequest, examples: SEED_AMEND_EXAMPLE })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  amend(
    @Param('id', ParseIdPipe) id: string,
    @Body() { interview: proposal }: AmendInterviewRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    const actor = actorOf(principal);
    const command = new AmendInterviewCommand(
      actor,
      id,
      parseIfMatch(ifMatch),
      new Date(proposal.amend_start_at),
      new Date(proposal.amend_end_at),
    );
    return this.responder.run(command, actor, reply);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: "Accept a pending interview, or the other side's proposal" })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  accept(
    @Param('id', ParseIdPipe) id: string,
    @Body() _: NoBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.act(AcceptInterviewCommand, id, ifMatch, principal, reply);
  }

  @Post(':id/decline_amendment')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: "Decline the other side's proposal; the current times stay" })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  declineAmendment(
    @Param('id', ParseIdPipe) id: string,
    @Body() _: NoBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.act(DeclineAmendmentCommand, id, ifMatch, principal, reply);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: "The driver turns the interview down; the interviewee's kind becomes rejected" })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  reject(
    @Param('id', ParseIdPipe) id: string,
    @Body() _: NoBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.act(RejectInterviewCommand, id, ifMatch, principal, reply);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: 'The interviewer side cancels, with an optional reason' })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  cancel(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: CancelInterviewRequest,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    const actor = actorOf(principal);
    const command = new CancelInterviewCommand(actor, id, parseIfMatch(ifMatch), body?.interview?.reason ?? null);
    return this.responder.run(command, actor, reply);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: 'Mark a scheduled interview as held (once start_at has passed)' })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  complete(
    @Param('id', ParseIdPipe) id: string,
    @Body() _: NoBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.act(CompleteInterviewCommand, id, ifMatch, principal, reply);
  }

  @Post(':id/no_show')
  @HttpCode(200)
  @IF_MATCH
  @ApiOperation({ summary: 'Mark that the driver did not come (once start_at has passed)' })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  noShow(
    @Param('id', ParseIdPipe) id: string,
    @Body() _: NoBody,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.act(MarkNoShowCommand, id, ifMatch, principal, reply);
  }

  @Put(':id/config')
  @Roles('interviewer', 'admin')
  @IF_MATCH
  @ApiOperation({ summary: 'Update the AI-interview configuration (partial, as micro1\'s body)' })
  @ApiBody({ type: InterviewConfigDto, required: false, examples: { seed: { summary: "micro1's example", value: SEED_UPDATE_EXAMPLE } } })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404, 409, 412)
  updateConfig(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: InterviewConfigDto,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    const actor = actorOf(principal);
    return this.responder.run(new UpdateInterviewConfigCommand(actor, id, parseIfMatch(ifMatch), body ?? {}), actor, reply);
  }

  @Get(':id/events')
  @ApiOperation({ summary: "The interview's domain events, oldest first" })
  @ApiOkResponse({ type: InterviewEventList })
  @ApiErrors(400, 401, 404)
  async events(@Param('id', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<InterviewEventList> {
    return { events: await this.queries.execute(new ListInterviewEventsQuery(actorOf(principal), id)) };
  }
}

/** Shared by the user and driver lists: the page of interviews and its meta. */
export async function listInterviews(
  queries: QueryBus,
  clock: Clock,
  viewer: ReturnType<typeof actorOf>,
  params: ListInterviewsParams,
  driverId?: string,
): Promise<InterviewList> {
  const page = params.page ?? 1;
  const perPage = params.per_page ?? 25;
  const { rows, total } = await queries.execute(
    new ListInterviewsQuery(viewer, {
      status: params.status,
      from: params.from ? new Date(params.from) : undefined,
      to: params.to ? new Date(params.to) : undefined,
      driverId,
      page,
      perPage,
    }),
  );
  const now = clock.now();
  return { interviews: rows.map((row) => presentInterview(row, viewer, now)), meta: { page, per_page: perPage, total } };
}
