import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AccessTokens } from './access-tokens';
import type { ApiKeyPrincipal, PrincipalKind, UserPrincipal } from './principal';

/** The passport strategy names, one per principal kind. */
export const BEARER_STRATEGY = 'bearer';
export const API_KEY_STRATEGY = 'api-key';
export const STRATEGY_OF: Readonly<Record<PrincipalKind, string>> = { user: BEARER_STRATEGY, api_key: API_KEY_STRATEGY };

/*
 * Both are passport-custom strategies: the credential checks stay in AccessTokens and ApiKeysService
 * (fast-jwt, the revocation query, the constant-time key comparison), passport only dispatches.
 * `validate` answering null is passport's "fail" (try the route's next strategy, then 401); a throw
 * (the database is down) is passport's "error", which the guard rethrows as is (503, not 401).
 *
 * Passport keeps strategies in one process-wide registry by name: the last app constructed in a
 * process is the one whose strategies answer. The service runs one app per process.
 */

/** `Authorization: Bearer <JWT>`: a signed-in user. */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, BEARER_STRATEGY) {
  constructor(private readonly tokens: AccessTokens) {
    super();
  }

  validate(request: FastifyRequest): Promise<UserPrincipal | null> {
    return this.tokens.authenticate(request.headers.authorization);
  }
}

/** `x-api-key: ik_…`: an integration (never a Bearer token). */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly apiKeys: ApiKeysService) {
    super();
  }

  validate(request: FastifyRequest): Promise<ApiKeyPrincipal | null> {
    return this.apiKeys.authenticate(request.headers['x-api-key']);
  }
}
