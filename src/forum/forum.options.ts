/** Settings of the stand-in forum backend. */
export interface ForumOptions {
  /** `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  sessionTtlSeconds: number;
  /** Adds `Secure` to the session cookie (serve behind TLS). */
  cookieSecure: boolean;
}

/** Injection token of the `ForumOptions`. */
export const FORUM_OPTIONS = Symbol('FORUM_OPTIONS');
