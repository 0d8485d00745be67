import { applyDecorators, Body, Controller, Get, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import type { FastifyRequest } from 'fastify';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { idempotencyClaimOf, IdempotentMutations, ParseIdPipe } from '#platform';
import { AcceptPrincipals, CurrentPrincipal, type Principal } from '#identity';
import { UpdateInterviewConfigCommand } from '../../application/commands/update-interview-config/update-interview-config.command';
import { GetInterviewQuery } from '../../application/queries/get-interview/get-interview.query';
import { ListInterviewsQuery } from '../../application/queries/list-interviews/list-interviews.query';
import { canonicalConfig, type InterviewConfig } from '../../domain';
import type { InterviewView } from '../../application/ports/interview-read-model';
import { InterviewConfigDto, SEED_UPDATE_EXAMPLE } from './config.dto';
import { PageParam } from './interview.dto';
import { actorOf } from './interview-responder';

class PublicStatus {
  @ApiProperty({ example: true }) status: boolean;
  @ApiProperty({ example: 'Interview updated successfully' }) message: string;
}

class PublicError {
  @ApiProperty({ example: false }) status: boolean;
  @ApiProperty({ example: 'skills must contain no more than 10 elements' }) message: string;
}

class PublicServerError {
  @ApiProperty({ example: false }) status: boolean;
}

class PublicInterviewData extends InterviewConfigDto {
  @ApiProperty({ example: 37 }) id: number;
  @ApiProperty({ example: 'scheduled' }) status: string;
  @ApiProperty({ example: '2025-01-22T13:22:54.000Z' }) start_at: string;
  @ApiProperty({ example: '2025-01-22T13:42:54.000Z' }) end_at: string;
}

class PublicInterview extends PublicStatus {
  @ApiProperty({ type: PublicInterviewData }) data: PublicInterviewData;
}

class PublicInterviewPage {
  @ApiProperty({ type: [PublicInterviewData] }) interviews: PublicInterviewData[];
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 20 }) limit: number;
  @ApiProperty({ example: 1 }) total: number;
}

class PublicInterviewList extends PublicStatus {
  @ApiProperty({ type: PublicInterviewPage }) data: PublicInterviewPage;
}

class PublicListParams extends PageParam {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Matches the interview name, case-insensitively', example: 'engineer' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  keyword?: string;
}

const PublicErrors = () =>
  applyDecorators(
    ApiResponse({ status: 400, description: 'The input is wrong; the message names the field', type: PublicError }),
    ApiResponse({ status: 401, description: '{"status": false, "message": "Invalid API key"}', type: PublicError }),
    ApiResponse({ status: 404, description: '{"status": false, "message": "Interview not found"}', type: PublicError }),
    ApiResponse({ status: 429, description: 'Too many requests; Retry-After says when to try again', type: PublicError }),
    ApiResponse({ status: 500, description: 'Internal Server Error: {"status": false}', type: PublicServerError }),
  );

function presentPublic(view: InterviewView): PublicInterviewData {
  const config: InterviewConfig = canonicalConfig(view.config);
  return {
    id: Number(view.id),
    status: view.status,
    start_at: view.startAt.toISOString(),
    end_at: view.endAt.toISOString(),
    ...config,
  } as PublicInterviewData;
}

/**
 * micro1's public API, for integrations that authenticate with `x-api-key` and expect its
 * envelopes (`{"status", "message", "data"?}`), plus the reads micro1 lacks.
 */
@ApiTags('public API (micro1-compatible)')
@ApiSecurity('apiKey')
@AcceptPrincipals('api_key')
@IdempotentMutations()
@Controller()
export class PublicInterviewsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put('interview/:interviewId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update an interview', description: 'Updates the AI-interview configuration; only the fields sent change.' })
  @ApiBody({ type: InterviewConfigDto, required: false, examples: { seed: { summary: "micro1's example", value: SEED_UPDATE_EXAMPLE } } })
  @ApiOkResponse({ type: PublicStatus, example: { status: true, message: 'Interview updated successfully' } })
  @ApiResponse({ status: 409, description: 'The interview can no longer be updated (it is over or called off)', type: PublicError })
  @PublicErrors()
  async update(
    @Param('interviewId', ParseIdPipe) id: string,
    @Body() body: InterviewConfigDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<PublicStatus> {
    const claim = idempotencyClaimOf(request);
    // An earlier run of this Idempotency-Key committed its change and died before answering: answered, not run again.
    if (!claim?.committedResource) {
      const command = new UpdateInterviewConfigCommand(actorOf(principal), id, undefined, body ?? {});
      command.claim = claim;
      await this.commands.execute(command);
    }
    return { status: true, message: 'Interview updated successfully' };
  }

  @Get('interview/:interviewId')
  @ApiOperation({ summary: 'Read an interview: its configuration, status and times' })
  @ApiOkResponse({ type: PublicInterview })
  @PublicErrors()
  async show(@Param('interviewId', ParseIdPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<PublicInterview> {
    const view = await this.queries.execute(new GetInterviewQuery(actorOf(principal), id));
    return { status: true, message: 'Interview retrieved successfully', data: presentPublic(view) };
  }

  @Get('interviews')
  @ApiOperation({ summary: 'List interviews by start time, filtered by a keyword on the interview name' })
  @ApiOkResponse({ type: PublicInterviewList })
  @PublicErrors()
  async list(@Query() params: PublicListParams, @CurrentPrincipal() principal: Principal): Promise<PublicInterviewList> {
    const page = params.page ?? 1;
    const limit = params.limit ?? 20;
    const { rows, total } = await this.queries.execute(
      new ListInterviewsQuery(actorOf(principal), { page, perPage: limit, keyword: params.keyword }),
    );
    return { status: true, message: 'Interviews retrieved successfully', data: { interviews: rows.map(presentPublic), page, limit, total } };
  }
}
