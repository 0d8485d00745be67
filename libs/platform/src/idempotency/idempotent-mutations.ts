import { RequestMethod, UseInterceptors } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { IdempotencyInterceptor } from './idempotency.interceptor';

const MUTATING = new Set<RequestMethod>([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE]);

/**
 * On a controller: Idempotency-Key on every POST, PUT, PATCH and DELETE handler of it (after the
 * guards, so the caller is known). Not a global interceptor: Nest runs any interceptor through an
 * rxjs chain, and the reads, which never take the header, would pay for it on every request. A test
 * (test/idempotency.e2e-spec.ts) checks that every mutating route of the app has it.
 */
export function IdempotentMutations(): ClassDecorator {
  return (target) => {
    const prototype = (target as unknown as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      if (MUTATING.has(Reflect.getMetadata(METHOD_METADATA, descriptor.value))) UseInterceptors(IdempotencyInterceptor)(prototype, name, descriptor);
    }
  };
}
