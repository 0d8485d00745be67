/**
 * The one normalisation of an email that sign-in uses (issue 15, item 8): the throttler counts
 * attempts by it and the lookup compares it, as is, with the same expression of the stored email,
 * so two spellings that reach one account are always one throttle bucket.
 *
 * Only surrounding whitespace and ASCII letters' case are folded: `EMAIL_KEY_SQL` (PostgreSQL's
 * `translate` of A–Z) does to a stored email exactly what `emailKey` does to A–Z in JavaScript,
 * whatever the database's locale. Unicode case folding is left out on purpose: JavaScript's
 * toLowerCase and PostgreSQL's lower() disagree (U+0130 `İ` is `i̇` in one and `i` in the other, so
 * `İva@…` found `iva@…` while it was counted apart), and depend on the collation in PostgreSQL.
 * Stored emails never begin or end with whitespace (`@IsEmail`, ADMIN_EMAIL's pattern), so the trim
 * only forgives a caller's stray space.
 */
export function emailKey(raw: string): string {
  return raw.trim().replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** `emailKey` of a stored column, in SQL; the unique index users_email_key_ascii is on this expression. */
export function emailKeySql(column: string): string {
  return `translate(${column}, '${UPPER}', '${LOWER}')`;
}
