/** A configuration error: `message` is one line naming the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
