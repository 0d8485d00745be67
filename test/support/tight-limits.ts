// Imported first by the rate-limit tests, before the app's modules read the environment: limits
// small enough to reach in a few requests, a window long enough that none expires mid-test
// and unlike the 60 s fallback, so that a Retry-After taken from the window is told apart from it.
export const TIGHT_LIMIT = 8;
export const TIGHT_SIGN_IN_LIMIT = 3;
export const TIGHT_TTL_SECONDS = 45;

process.env.THROTTLE_LIMIT = String(TIGHT_LIMIT);
process.env.THROTTLE_SIGN_IN_LIMIT = String(TIGHT_SIGN_IN_LIMIT);
process.env.THROTTLE_TTL = String(TIGHT_TTL_SECONDS);
