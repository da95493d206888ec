/**
 * Password hashing for test servers: OWASP's Argon2id parameters (the production default,
 * a few tens of milliseconds per hash) and a bound that never refuses a test's own set-up
 * (parallel registrations wait instead of getting 503). A spec sets `AUTH_ARGON2_*` or
 * `AUTH_HASH_*` itself to test them.
 */
export const TEST_HASHING_ENV: Record<string, string> = {
  AUTH_HASH_QUEUE: '10000',
  AUTH_HASH_WAIT_MS: '60000',
};
