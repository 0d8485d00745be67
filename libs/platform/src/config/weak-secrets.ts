/**
 * Secrets that must not be used in production (issue 15, item 6): a JWT_SECRET anyone can read
 * lets anyone sign an admin's token, and a published ADMIN_PASSWORD is an admin's password.
 *
 * Refused when NODE_ENV=production, with the reason:
 * - a value published in this repository (docker-compose.yml's old defaults, the README's and the
 *   Swagger examples, the tests' and the benchmark's settings, the development fallback);
 * - a value that reads as a placeholder or a word rather than a random string (`change-me…`,
 *   `…secret…`, `…password…`, `example`, `do-not-use`, …), compared without case or separators;
 * - a value of few distinct characters, or one short unit repeated (`aaaa…`, `abcabc…`);
 * - a value shorter than the minimum (32 characters for JWT_SECRET, 12 for ADMIN_PASSWORD).
 *
 * A random value (`openssl rand -base64 48`) passes every rule: the markers are six letters or
 * more, so the chance that one turns up in 48 random base64 characters is below one in ten million.
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  // docker-compose.yml's defaults before it required the variables
  'development-only-jwt-secret-do-not-use-in-production',
  'change-me-please',
  // the development fallback (environment.ts), the README's and the Swagger examples
  'development-only-secret-change-me-0123456789',
  'change-me-now',
  'a-long-password',
  // the CLI's demo accounts, the tests' and the benchmark's settings
  'demo-password',
  'a-test-password',
  'test-secret-test-secret-test-secret-0123',
  'admin-test-password',
  'embedded-password',
  'ops-admin-password',
  'drain-admin-password',
  'bench-secret-bench-secret-bench-secret-01',
  'admin-bench-password',
];

/** Compared against the value in lower case with separators removed. */
const PLACEHOLDER_MARKERS: readonly string[] = [
  'changeme',
  'replaceme',
  'placeholder',
  'example',
  'donotuse',
  'dontuse',
  'notforprod',
  'development',
  'devonly',
  'insecure',
  'secret',
  'password',
  'passwd',
  'default',
  'sample',
  'letmein',
  'qwerty',
  'yourkey',
  '123456789',
];

const MIN_DISTINCT_CHARACTERS = 6;

function squashed(value: string): string {
  return value.toLowerCase().replace(/[\s\-_.:,;/\\|+*=~'"`]+/g, '');
}

/** True when the value is one unit repeated (`abab`, `xyzxyzxyz`). */
function isRepetition(value: string): boolean {
  for (let period = 1; period <= value.length / 2; period++) {
    if (value.length % period !== 0) continue;
    const unit = value.slice(0, period);
    if (unit.repeat(value.length / period) === value) return true;
  }
  return false;
}

/** Why `value` is not a production secret, as the end of a sentence; null when it may be used. */
export function weakSecretReason(value: string, minLength: number): string | null {
  if (value.length < minLength) return `must be at least ${minLength} characters in production`;
  const lower = value.trim().toLowerCase();
  if (PUBLISHED_SECRETS.includes(lower)) return 'is a value published in this repository (compose, README, tests)';
  const flat = squashed(value);
  const marker = PLACEHOLDER_MARKERS.find((word) => flat.includes(word));
  if (marker) return `looks like a placeholder (it contains "${marker}")`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS || isRepetition(value)) return 'is not random enough (too few distinct characters, or repeated)';
  return null;
}
