/** Settings an earlier version read and this one does not, with what took their place. */
const RETIRED_SETTINGS: Readonly<Record<string, string>> = {
  AUTH_SCRYPT_COST:
    'new password hashes are Argon2id (AUTH_ARGON2_MEMORY_KIB, AUTH_ARGON2_TIME_COST); former scrypt hashes still log in and are replaced at their next login',
};

/**
 * One line for each retired setting that `env` still sets, naming it and what replaced it,
 * so an operator who upgrades learns that the value no longer has an effect. Empty when
 * none is set; never throws (a retired setting does not stop the start).
 */
export function retiredSettingsIn(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(RETIRED_SETTINGS)
    .filter(([name]) => env[name] !== undefined && env[name] !== '')
    .map(([name, replacement]) => `${name} is no longer read: ${replacement}`);
}
