/**
 * Password hashing for test servers: N=2^15 (every test registers users; the production
 * cost, 2^17, takes seconds per hash on a busy machine) and a bound that never refuses a
 * test's own set-up (parallel registrations wait instead of getting 503). A spec sets
 * `AUTH_SCRYPT_COST` or `AUTH_HASH_*` itself to test them.
 */
export const TEST_HASHING_ENV: Record<string, string> = {
  AUTH_SCRYPT_COST: '15',
  AUTH_HASH_QUEUE: '10000',
  AUTH_HASH_WAIT_MS: '60000',
};
