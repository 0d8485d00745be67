import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, Max, Min, ValidateNested } from 'class-validator';
import { DataSource } from 'typeorm';
import { ApiErrors, ValidationFailedError } from '#platform';
import { Roles } from '#identity';
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
@Controller('api/v1/admin/interviewees')
export class AdminIntervieweesController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Post()
  @ApiOperation({ summary: 'Enrol a driver as an interviewee' })
  @ApiCreatedResponse({ type: IntervieweeEnvelope })
  @ApiErrors(400, 401, 403)
  async create(@Body() { interviewee: input }: CreateIntervieweeRequest): Promise<IntervieweeEnvelope> {
    // One statement: the driver check and the insert cannot be split by a concurrent change.
    const rows: { id: string; kind: string; updated_at: Date; driver_id: string; image: string | null; phone_number: string | null; title: string }[] =
      await this.dataSource.query(
        `INSERT INTO interviewees (driver_id, kind)
         SELECT u.id, $2 FROM users u WHERE u.id = $1 AND u.role = 'driver'
         RETURNING id, kind, updated_at, driver_id,
           (SELECT image FROM users WHERE id = $1), (SELECT phone_number FROM users WHERE id = $1),
           (SELECT title FROM users WHERE id = $1)`,
        [input.driver_id, input.kind],
      );
    if (rows.length === 0) {
      throw ValidationFailedError.of([{ field: 'interviewee.driver_id', message: 'must be a user with role driver' }]);
    }
    const row = rows[0];
    return {
      interviewee: {
        id: Number(row.id),
        driver: { id: Number(row.driver_id), image: row.image, phone_number: row.phone_number, title: row.title },
        kind: row.kind,
        updated_at: row.updated_at.toISOString(),
      },
    };
  }
}
