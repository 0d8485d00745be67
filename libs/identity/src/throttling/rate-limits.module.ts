import { ConfigService } from '@nestjs/config';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Environment } from '#platform';
import { rateLimitOptions } from './rate-limits';

/** @nestjs/throttler (a global module: the guard finds its options and storage) configured from the environment. */
export const RateLimitsModule = ThrottlerModule.forRootAsync({
  inject: [ConfigService],
  useFactory: (config: ConfigService<Environment, true>) =>
    rateLimitOptions({
      limit: config.get('THROTTLE_LIMIT', { infer: true }),
      ttlSeconds: config.get('THROTTLE_TTL', { infer: true }),
      signInLimit: config.get('THROTTLE_SIGN_IN_LIMIT', { infer: true }),
    }),
});
