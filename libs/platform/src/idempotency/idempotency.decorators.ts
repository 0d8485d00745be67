import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENCY_REDACT = 'idempotency:redact';

/**
 * Secrets shown once (an API key, a webhook's signing secret) are not kept in the stored answer:
 * a replay answers the same status and body with these dotted paths set to null. The caller that
 * lost the first answer revokes the key (or rotates the webhook) and makes another.
 */
export const IdempotencyRedacts = (...paths: string[]) => SetMetadata(IDEMPOTENCY_REDACT, paths);
