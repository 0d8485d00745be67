import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENCY_REDACT = 'idempotency:redact';
export const IDEMPOTENCY_EXEMPT = 'idempotency:exempt';

/**
 * Secrets shown once (an API key, a webhook's signing secret) are not kept in the stored answer:
 * a replay answers the same status and body with these dotted paths set to null. The caller that
 * lost the first answer revokes the key (or rotates the webhook) and makes another.
 */
export const IdempotencyRedacts = (...paths: string[]) => SetMetadata(IDEMPOTENCY_REDACT, paths);

/**
 * On a handler of an `@IdempotentMutations()` controller: Idempotency-Key is ignored there (sign-in
 * and sign-out: no resource to repeat, and a token must never be stored). Marked on the route, not
 * decided by a URL prefix, which a percent-encoded path would get past.
 */
export const IdempotencyExempt = () => SetMetadata(IDEMPOTENCY_EXEMPT, true);
