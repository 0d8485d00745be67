import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { ApiKeyPrincipal } from '../auth/principal';
import { ApiKeysService } from './api-keys.service';

/** `x-api-key` only: a Bearer token is never taken for a key. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<ApiKeyPrincipal | false> {
    const presented = request.headers['x-api-key'];
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 200) return false;
    const id = await this.keys.verify(presented);
    return id ? { type: 'api_key', id } : false;
  }
}
