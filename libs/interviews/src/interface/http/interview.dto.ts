import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsEmpty, IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsZonedTimestamp } from '#platform';
import { ACTIONS, INTERVIEW_KINDS, type InterviewKind, STATUSES, type InterviewStatus } from '../../domain';
import { InterviewConfigDto } from './config.dto';

const MAX_ID = Number.MAX_SAFE_INTEGER;

export class NewInterviewFields {
  @ApiProperty({ example: 300 })
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  interviewee_id: number;

  @ApiProperty({ example: '2030-01-22T13:22:54Z', description: 'ISO-8601 with Z or an offset; in the future' })
  @IsZonedTimestamp()
  start_at: string;

  @ApiProperty({ example: '2030-01-22T13:42:54Z', description: 'after start_at, at most 12 hours later' })
  @IsZonedTimestamp()
  end_at: string;

  @ApiProperty({ enum: INTERVIEW_KINDS, example: 'video_call' })
  @IsIn(INTERVIEW_KINDS)
  kind: InterviewKind;

  @ApiPropertyOptional({ type: String, example: 'London', nullable: true, description: 'Free text: a place or a meeting link' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  location?: string | null;

  @ApiPropertyOptional({ example: 1050, description: 'Admins only: the interviewer to book' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ID)
  interviewer_id?: number;

  @ApiPropertyOptional({ type: InterviewConfigDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InterviewConfigDto)
  config?: InterviewConfigDto;
}

export class CreateInterviewRequest {
  @ApiProperty({ type: NewInterviewFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewInterviewFields)
  interview: NewInterviewFields;
}

export class ProposalFields {
  @ApiProperty({ example: '2025-01-22T13:42:54Z' })
  @IsZonedTimestamp()
  amend_start_at: string;

  @ApiProperty({ example: '2025-01-22T14:12:54Z' })
  @IsZonedTimestamp()
  amend_end_at: string;
}

/** The seed's amend body. */
export class AmendInterviewRequest {
  @ApiProperty({ type: ProposalFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => ProposalFields)
  interview: ProposalFields;
}

export class CancelFields {
  @ApiPropertyOptional({ example: 'The driver found another job', maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class CancelInterviewRequest {
  @ApiPropertyOptional({ type: CancelFields })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CancelFields)
  interview?: CancelFields;
}

/** Actions that take no body: any property sent is refused (no mass assignment). */
export class NoBody {
  // One rule so that class-validator knows the class (it refuses classes it knows nothing of).
  @IsOptional()
  @IsEmpty()
  private readonly none?: never;
}

/** `page`, from 1, shared by the paged lists. */
export class PageParam {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;
}

export class ListInterviewsParams extends PageParam {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  status?: InterviewStatus;

  @ApiPropertyOptional({ description: 'start_at at or after this instant', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsZonedTimestamp()
  from?: string;

  @ApiPropertyOptional({ description: 'start_at before this instant', example: '2025-02-01T00:00:00Z' })
  @IsOptional()
  @IsZonedTimestamp()
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  per_page?: number;
}

// ---- response shapes (for the OpenAPI document) ----

class DriverJson {
  @ApiProperty({ example: 1047 }) id: number;
  @ApiProperty({ type: String, nullable: true, example: null }) image: string | null;
  @ApiProperty({ type: String, nullable: true, example: '07554 311340' }) phone_number: string | null;
  @ApiProperty({ example: 'Howard Schiller' }) title: string;
}

export class IntervieweeJson {
  @ApiProperty({ example: 300 }) id: number;
  @ApiProperty({ type: DriverJson }) driver: DriverJson;
  @ApiProperty({ enum: ['interview', 'verified', 'rejected'], example: 'verified' }) kind: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) updated_at: string;
}

class InterviewerJson {
  @ApiProperty({ example: 1050 }) id: number;
  @ApiProperty({ type: String, nullable: true, example: null }) contact_phone_number: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) image: string | null;
  @ApiProperty({ example: 'Jacob Bogisich' }) title: string;
}

export class InterviewJson {
  @ApiProperty({ example: 37 }) id: number;
  @ApiProperty({ type: String, nullable: true, example: '2025-01-22T14:12:54.000Z' }) amend_end_at: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2025-01-22T13:42:54.000Z' }) amend_start_at: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['interviewer', 'interviewee'], example: 'interviewer' })
  amended_by: 'interviewer' | 'interviewee' | null;
  @ApiProperty({ example: '2025-01-22T13:42:54.000Z' }) end_at: string;
  @ApiProperty({ type: IntervieweeJson }) interviewee: IntervieweeJson;
  @ApiProperty({ example: 300 }) interviewee_id: number;
  @ApiProperty({ type: InterviewerJson }) interviewer: InterviewerJson;
  @ApiProperty({ example: 1050 }) interviewer_id: number;
  @ApiProperty({ enum: INTERVIEW_KINDS, example: 'video_call' }) kind: string;
  @ApiProperty({ type: String, nullable: true, example: 'London' }) location: string | null;
  @ApiProperty({ example: '2025-01-22T13:22:54.000Z' }) start_at: string;
  @ApiProperty({ enum: STATUSES, example: 'amended' }) status: InterviewStatus;
  @ApiProperty({ type: InterviewConfigDto }) config: object;
  @ApiProperty({ enum: ACTIONS, isArray: true, example: ['amend', 'cancel', 'update_config'] }) allowed_actions: string[];
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) created_at: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) updated_at: string;
}

export class InterviewEnvelope {
  @ApiProperty({ type: InterviewJson }) interview: InterviewJson;
}

class PageMeta {
  @ApiProperty({ example: 1 }) page: number;
  @ApiProperty({ example: 25 }) per_page: number;
  @ApiProperty({ example: 1 }) total: number;
}

export class InterviewList {
  @ApiProperty({ type: [InterviewJson] }) interviews: InterviewJson[];
  @ApiProperty({ type: PageMeta }) meta: PageMeta;
}

class EventActorJson {
  @ApiProperty({ enum: ['user', 'api_key'], example: 'user' }) type: string;
  @ApiProperty({ example: 1050 }) id: number;
  @ApiPropertyOptional({ example: 'interviewer' }) role?: string;
}

class InterviewEventJson {
  @ApiProperty({ example: 12 }) id: number;
  @ApiProperty({ example: 'interview.amended' }) type: string;
  @ApiProperty({ example: 37 }) interview_id: number;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) occurred_at: string;
  @ApiProperty({ type: EventActorJson }) actor: EventActorJson;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { amend_start_at: '2025-01-22T13:42:54.000Z', amend_end_at: '2025-01-22T14:12:54.000Z', amended_by: 'interviewer', start_at: '2025-01-22T13:22:54.000Z', end_at: '2025-01-22T13:42:54.000Z' },
  })
  data: Record<string, unknown>;
}

export class InterviewEventList {
  @ApiProperty({ type: [InterviewEventJson] }) events: InterviewEventJson[];
}

/** The driver-interview seed's amend request, as the documented example. */
export const SEED_AMEND_EXAMPLE = {
  seed: {
    summary: 'the seed request (POST /api/v1/interviews/37/amend)',
    value: { interview: { amend_start_at: '2025-01-22T13:42:54Z', amend_end_at: '2025-01-22T14:12:54Z' } },
  },
};
