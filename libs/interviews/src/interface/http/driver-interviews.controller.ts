import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors, Clock, IdempotentMutations, ParseIdPipe } from '#platform';
import { CurrentPrincipal, type Principal, Roles } from '#identity';
import { AcceptInterviewCommand } from '../../application/commands/accept-interview/accept-interview.command';
import { AmendInterviewCommand } from '../../application/commands/amend-interview/amend-interview.command';
import { DeclineAmendmentCommand } from '../../application/commands/decline-amendment/decline-amendment.command';
import { RejectInterviewCommand } from '../../application/commands/reject-interview/reject-interview.command';
import { AmendInterviewRequest, InterviewEnvelope, InterviewList, ListInterviewsParams, NoBody, SEED_AMEND_EXAMPLE } from './interview.dto';
import { actorOf, InterviewResponder } from './interview-responder';
import { listInterviews } from './interviews.controller';
import { parseIfMatch } from './interview.presenter';

/**
 * The driver side of the original API (`/api/v1/users/interviews`): the same commands and
 * queries as /api/v1/interviews, for the signed-in driver. Other roles get 403 here.
 */
@ApiTags('driver interviews')
@ApiBearerAuth('bearer')
@Roles('driver')
@IdempotentMutations()
@Controller('api/v1/users/interviews')
export class DriverInterviewsController {
  constructor(
    private readonly responder: InterviewResponder,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: "The signed-in driver's interviews, ordered by start_at" })
  @ApiOkResponse({ type: InterviewList })
  @ApiErrors(400, 401, 403)
  list(@Query() params: ListInterviewsParams, @CurrentPrincipal() principal: Principal): Promise<InterviewList> {
    return listInterviews(this.queries, this.clock, actorOf(principal), params, principal.id);
  }

  @Get(':id')
  @ApiOperation({ summary: "One of the signed-in driver's interviews" })
  @ApiOkResponse({ type: InterviewEnvelope })
  @ApiErrors(400, 401, 403, 404)
  show(
    @Param('id', ParseIdPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InterviewEnvelope> {
    return this.responder.show(id, actorOf(principal), reply);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @ApiOperation({ summary: "Accept the interview, or the interviewer's proposal" })
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

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Turn the interview down' })
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

  @Post(':id/amend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Propose new times' })
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

  @Post(':id/decline_amendment')
  @HttpCode(200)
  @ApiOperation({ summary: "Decline the interviewer's proposal" })
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
}
