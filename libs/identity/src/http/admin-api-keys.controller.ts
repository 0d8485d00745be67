import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsObject, IsString, Length, ValidateNested } from 'class-validator';
import { ApiErrors, IdempotencyRedacts, IdempotentMutations, ParseIdPipe } from '#platform';
import type { ApiKeyEntity } from '../api-keys/api-key.entity';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';

class NewApiKeyFields {
  @ApiProperty({ example: 'ATS integration', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;
}

class CreateApiKeyRequest {
  @ApiProperty({ type: NewApiKeyFields })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => NewApiKeyFields)
  api_key: NewApiKeyFields;
}

class ApiKeyJson {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'ATS integration' }) name: string;
  @ApiProperty({ example: 'ik_1a2b3c4d', description: 'The public start of the key, to tell keys apart' }) prefix: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) created_at: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: null }) revoked_at: string | null;
}

class IssuedApiKeyJson {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: 'ATS integration' }) name: string;
  @ApiProperty({ example: 'ik_1a2b3c4d' }) prefix: string;
  @ApiProperty({ example: 'ik_1a2b3c4d_2Qm9vX0lfaOFsK0c1m4bXcP3oQ7Jd8pXcYH1uQ2wZbE', description: 'Shown this once; only its hash is kept' })
  key: string;
  @ApiProperty({ example: '2025-01-22T13:12:54.000Z' }) created_at: string;
}

class IssuedApiKeyEnvelope {
  @ApiProperty({ type: IssuedApiKeyJson }) api_key: IssuedApiKeyJson;
}

class ApiKeyList {
  @ApiProperty({ type: [ApiKeyJson] }) api_keys: ApiKeyJson[];
}

function present(key: ApiKeyEntity): ApiKeyJson {
  return {
    id: Number(key.id),
    name: key.name,
    prefix: `ik_${key.prefix}`,
    created_at: key.createdAt.toISOString(),
    revoked_at: key.revokedAt?.toISOString() ?? null,
  };
}

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Roles('admin')
@IdempotentMutations()
@Controller('api/v1/admin/api_keys')
export class AdminApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Issue an API key for the public API; the key is in this answer only' })
  @IdempotencyRedacts('api_key.key')
  @ApiCreatedResponse({ type: IssuedApiKeyEnvelope })
  @ApiErrors(400, 401, 403)
  async create(@Body() body: CreateApiKeyRequest, @CurrentPrincipal() principal: Principal): Promise<IssuedApiKeyEnvelope> {
    const { entity, key } = await this.keys.issue(body.api_key.name, principal.id);
    const { id, name, prefix, created_at } = present(entity);
    return { api_key: { id, name, prefix, key, created_at } };
  }

  @Get()
  @ApiOperation({ summary: 'The API keys, without their secrets' })
  @ApiOkResponse({ type: ApiKeyList })
  @ApiErrors(401, 403)
  async list(): Promise<ApiKeyList> {
    return { api_keys: (await this.keys.list()).map(present) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key; it is refused from now on' })
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  @ApiErrors(400, 401, 403, 404)
  async revoke(@Param('id', ParseIdPipe) id: string): Promise<void> {
    await this.keys.revoke(id);
  }
}
