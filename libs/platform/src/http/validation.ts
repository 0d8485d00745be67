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
/**
 * No request object of this API has more than a couple of dozen properties, nor an array more than
 * a dozen items. Larger ones are refused before class-validator walks them: it would build one error
 * per unknown key (10,000 keys in 100 kB cost ~300 ms and a 500 kB answer).
 */
export const MAX_PROPERTIES = 64;
export const MAX_ITEMS = 100;
/** At most this many `details` in a 400: enough to fix a form, too few to amplify a request. */
export const MAX_DETAILS = 10;

/**
 * The first reason the shape of `value` is refused (too deep, too wide, too long), else null.
 * Iterative, so a hostile body cannot exhaust the stack; it stops at the first violation and never
 * enumerates the keys of an object it has found too wide (a `for…in` that counts stops early).
 */
function shapeProblem(value: object, root: string): FieldError | null {
  const stack: [object, number, string][] = [[value, 1, root]];
  while (stack.length) {
    const [node, depth, path] = stack.pop()!;
    if (depth > MAX_DEPTH) return { field: root, message: `must not nest deeper than ${MAX_DEPTH} levels` };
    if (Array.isArray(node)) {
      if (node.length > MAX_ITEMS) return { field: path, message: `must not have more than ${MAX_ITEMS} items` };
    } else {
      let count = 0;
      for (const key in node) if (Object.hasOwn(node, key) && ++count > MAX_PROPERTIES) break;
      if (count > MAX_PROPERTIES) return { field: path, message: `must not have more than ${MAX_PROPERTIES} properties` };
    }
    for (const [key, child] of Object.entries(node)) {
      if (child && typeof child === 'object') stack.push([child, depth + 1, path === root ? key : `${path}.${key}`]);
    }
  }
  return null;
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
      const root = metadata.type === 'body' ? 'body' : 'query';
      // The size of the input first: every later walk (and class-validator's) is bounded by it.
      const shape = value && typeof value === 'object' ? shapeProblem(value, root) : null;
      if (shape) throw ValidationFailedError.of([shape]);
      const bad = unstorableString(value, root);
      if (bad) throw ValidationFailedError.of([{ field: bad, message: 'must not contain NUL or unpaired surrogate characters' }]);
    }
    if (metadata.type === 'body') {
      if (value === undefined || value === null || value === '') value = {};
      else if (typeof value !== 'object' || Array.isArray(value)) {
        throw ValidationFailedError.of([{ field: 'body', message: 'must be a JSON object' }]);
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
    exceptionFactory: (errors) => ValidationFailedError.of(toFieldErrors(errors).slice(0, MAX_DETAILS)),
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
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A real instant, written as one ("Protocol details"): every field within its calendar's range.
 * `Date.parse` rolls impossible dates over instead of refusing them (`2031-02-31` is 3 March,
 * `T24:00:00` the next midnight), so each field is checked before it: month 1–12, day within the
 * month (29 February only in leap years), hour 0–23, minute and second 0–59 (no leap second), and
 * an offset of at most 23:59.
 */
export function isZonedTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = match.slice(1);
  const y = Number(year);
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (Number(day) < 1 || Number(day) > daysIn(y, m)) return false;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return false;
  if (Number(offsetHours) > 23 || Number(offsetMinutes) > 59) return false;
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
