import { RequestMethod, UseGuards } from '@nestjs/common';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { IdempotencyGuard } from './idempotency.guard';

const MUTATING = new Set<RequestMethod>([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE]);

/**
 * On a controller: Idempotency-Key on every POST, PUT, PATCH and DELETE handler of it
 * (IdempotencyGuard, after the global guards, so the caller is known). A test
 * (test/idempotency.e2e-spec.ts) checks that every mutating route of the app has it and no read does.
 */
export function IdempotentMutations(): ClassDecorator {
  return (target) => {
    const prototype = (target as unknown as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof descriptor?.value !== 'function') continue;
      if (MUTATING.has(Reflect.getMetadata(METHOD_METADATA, descriptor.value))) UseGuards(IdempotencyGuard)(prototype, name, descriptor);
    }
  };
}
