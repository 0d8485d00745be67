import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiResponse } from '@nestjs/swagger';

class FieldErrorJson {
  @ApiProperty({ example: 'interview.amend_end_at' }) field: string;
  @ApiProperty({ example: 'must be after amend_start_at' }) message: string;
}

class ErrorJson {
  @ApiProperty({ example: 'validation_failed' }) code: string;
  @ApiProperty({ example: 'amend_end_at must be after amend_start_at' }) message: string;
  @ApiPropertyOptional({ type: [FieldErrorJson] }) details?: FieldErrorJson[];
}

export class ErrorEnvelope {
  @ApiProperty({ type: ErrorJson }) error: ErrorJson;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'validation_failed or malformed_json: the input is wrong (checked before any state)',
  401: 'unauthenticated: no valid token',
  403: 'forbidden: your role or side may not do this',
  404: 'not_found: no such resource, or not yours to see',
  409: 'invalid_transition or schedule_conflict',
  412: 'precondition_failed: If-Match names an older version',
  413: 'payload_too_large: body over 100 kB',
  429: 'rate_limited: too many requests; Retry-After says when to try again',
  503: 'service_unavailable: the database is unavailable; Retry-After says when to try again',
};

/** Every route can be rate-limited or meet a database outage. */
const ALWAYS = [429, 503];

/** The error answers a route can give, in the user API's envelope. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(
    ...[...new Set([...statuses, ...ALWAYS])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status], type: ErrorEnvelope }),
    ),
  );
}
