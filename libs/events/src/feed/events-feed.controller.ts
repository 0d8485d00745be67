import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiErrors, ForbiddenError } from '#platform';
import { AcceptPrincipals, CurrentPrincipal, type Principal } from '#identity';
import { EventLog } from '../event-log';

class FeedParams {
  @ApiPropertyOptional({ description: 'Return events after this id (your last one); 0 from the start', default: 0, example: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

class FeedEvent {
  @ApiProperty({ example: 12 }) id: number;
  @ApiProperty({ example: 'interview.amended' }) type: string;
  @ApiProperty({ example: 37 }) interview_id: number;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) occurred_at: string;
  @ApiProperty({ example: { type: 'user', id: 1050, role: 'interviewer' } }) actor: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: object;
}

class Feed {
  @ApiProperty({ type: [FeedEvent] }) events: FeedEvent[];
  @ApiProperty({ example: 12, description: 'Pass as `after` to resume' }) next_after: number;
}

@ApiTags('events')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@AcceptPrincipals('user', 'api_key')
@Controller('api/v1/events')
export class EventsFeedController {
  constructor(private readonly log: EventLog) {}

  @Get()
  @ApiOperation({ summary: 'Every domain event in commit order, to pull and resume from the last id (admins, API keys)' })
  @ApiOkResponse({ type: Feed })
  @ApiErrors(400, 401, 403)
  async feed(@Query() params: FeedParams, @CurrentPrincipal() principal: Principal): Promise<Feed> {
    if (principal.type === 'user' && principal.role !== 'admin') throw new ForbiddenError('the event feed is for admins and API keys');
    const after = params.after ?? 0;
    const events = await this.log.after(String(after), params.limit ?? 100);
    return { events, next_after: events.length ? events[events.length - 1].id : after };
  }
}
