import { Injectable } from '@nestjs/common';
import { RetentionRule } from '#platform';

/**
 * A signed-out token's row matters only while the token itself would still be accepted: the
 * verifier refuses it once its `exp` (`expires_at`, at most JWT_TTL after sign-in) has passed.
 * The row goes an hour after that, so that a clock of an API host behind the database's cannot
 * accept the token again in between.
 */
@RetentionRule()
@Injectable()
export class RevokedTokensRetention implements RetentionRule {
  readonly table = 'revoked_tokens';

  expired() {
    return { where: `expires_at < now() - interval '1 hour'`, params: [] };
  }
}
