import { ArgumentMetadata, Injectable, PipeTransform, ValidationError, ValidationPipe } from '@nestjs/common';
import { registerDecorator, ValidationOptions } from 'class-validator';
import { FieldError, ValidationFailedError } from '../errors/domain-error';

/** Flattens class-validator's tree into `{field: "interview.amend_end_at", message}` details. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const property = error.property ?? 'body';
    const field = parent ? `${parent}.${property}` : property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      message: rule === 'whitelistValidation' ? 'is not allowed' : withoutSubject(message, error.property),
    }));
    return [...own.slice(0, 1), ...toFieldErrors(error.children ?? [], field)];
  });
}

function withoutSubject(message: string, property: string): string {
  if (message.startsWith(`${property} `)) return message.slice(property.length + 1);
  // class-validator names array members "each value in skills ..." and the like
  return message.replace(new RegExp(`\\b${property}\\b ?`), '').trim() || message;
}

/** No request of this API nests deeper than a few levels; deeper JSON is refused before any work. */
const MAX_DEPTH = 16;

/** Iterative, so a hostile body cannot exhaust the stack. Stops counting past the limit. */
function depthOf(value: object): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > MAX_DEPTH) return deepest;
    if (node && typeof node === 'object') {
      for (const child of Object.values(node)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * The path of the first string (value or key) that PostgreSQL cannot store (NUL) or that is not
 * well-formed UTF-16 (a lone surrogate), else null. Checked before anything else reads the input.
 */
function unstorableString(value: unknown, root: string): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000') || !node.isWellFormed()) return path;
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key.includes('\u0000') || !key.isWellFormed()) return path;
        stack.push([child, Array.isArray(node) ? `${path}.${key}` : path === root ? key : `${path}.${key}`]);
      }
    }
  }
  return null;
}

/**
 * A missing body is an empty object (actions like accept take none, and a partial update may send
 * none); a body that is not a JSON object is refused before class-validator sees it.
 */
class BodyValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata) {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const bad = unstorableString(value, metadata.type === 'body' ? 'body' : 'query');
      if (bad) throw ValidationFailedError.of([{ field: bad, message: 'must not contain NUL or unpaired surrogate characters' }]);
    }
    if (metadata.type === 'body') {
      if (value === undefined || value === null || value === '') value = {};
      else if (typeof value !== 'object' || Array.isArray(value)) {
        throw ValidationFailedError.of([{ field: 'body', message: 'must be a JSON object' }]);
      } else if (depthOf(value) > MAX_DEPTH) {
        throw ValidationFailedError.of([{ field: 'body', message: `must not nest deeper than ${MAX_DEPTH} levels` }]);
      }
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: whitelist, refuse unknown properties, transform; errors in our envelope. */
export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => ValidationFailedError.of(toFieldErrors(errors)),
  });
}

const MAX_BIGINT = 9223372036854775807n;

/**
 * A path id: a positive integer within PostgreSQL's bigint. Anything else is a 400, never a 404
 * or a 500. Returned as a string so ids beyond 2^53 stay exact on their way to SQL.
 */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    const field = metadata.data ?? 'id';
    if (!/^[1-9][0-9]{0,18}$/.test(value ?? '') || BigInt(value) > MAX_BIGINT) {
      throw ValidationFailedError.of([{ field, message: 'must be a positive integer' }]);
    }
    return value;
  }
}

/** ISO-8601 with `Z` or an offset; a timestamp without one is ambiguous and refused. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function isZonedTimestamp(value: unknown): value is string {
  if (typeof value !== 'string' || !TIMESTAMP.test(value)) return false;
  const time = Date.parse(value);
  // Four-digit years once in UTC, so that every timestamp we write back has the documented form.
  return !Number.isNaN(time) && time >= 0 && new Date(time).getUTCFullYear() <= 9999;
}

export function IsZonedTimestamp(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isZonedTimestamp',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be an ISO-8601 timestamp with a time zone (Z or an offset)', ...options },
      validator: { validate: isZonedTimestamp },
    });
}
