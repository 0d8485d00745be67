import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { ApiErrors, IdempotentMutations, ValidationFailedError } from '#platform';
import { Roles } from '#identity';
import { IntervieweeDirectory } from '../../infrastructure/interviewee-directory';
import { IntervieweeJson } from './interview.dto';

const KINDS = ['interview', 'verified', 'rejected'] as const;

class NewIntervieweeFields {
  @ApiProperty({ example: 1047, description: 'A user with role driver' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  driver_id: number;

  @ApiProperty({ enum: KINDS, example: 'interview' })
  @IsIn(KINDS)
  kind: (typeof KINDS)[number];
}

class CreateIntervieweeRequest {
  @ApiProperty({ type: NewIntervieweeFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewIntervieweeFields)
  interviewee: NewIntervieweeFields;
}

class IntervieweeEnvelope {
  @ApiProperty({ type: IntervieweeJson }) interviewee: IntervieweeJson;
}

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@IdempotentMutations()
@Controller('api/v1/admin/interviewees')
export class AdminIntervieweesController {
  constructor(private readonly interviewees: IntervieweeDirectory) {}

  @Post()
  @ApiOperation({ summary: 'Enrol a driver as an interviewee' })
  @ApiCreatedResponse({ type: IntervieweeEnvelope })
  @ApiErrors(400, 401, 403)
  async create(@Body() { interviewee: input }: CreateIntervieweeRequest): Promise<IntervieweeEnvelope> {
    const interviewee = await this.interviewees.enrol(input.driver_id, input.kind);
    if (!interviewee) {
      throw ValidationFailedError.of([{ field: 'interviewee.driver_id', message: 'must be a user with role driver' }]);
    }
    return { interviewee };
  }
}
