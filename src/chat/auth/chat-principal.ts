/**
 * Who an accepted socket belongs to, fixed at the handshake. `sessionKey` names the
 * session for revocation (never the secret token); `expiresAt` (epoch ms) closes the
 * socket with 4401 when reached. Both are optional for strategies without sessions.
 */
export interface ChatPrincipal {
  id: number;
  nickname: string;
  sessionKey: string | null;
  expiresAt: number | null;
}

/**
 * The default mapping from what a Passport strategy's `validate` returns to a principal:
 * accepts `{ id, nickname, sessionKey?, expiresAt? }` with a positive integer `id`.
 */
export function defaultToPrincipal(user: unknown): ChatPrincipal | null {
  if (typeof user !== 'object' || user === null) return null;
  const { id, nickname, sessionKey, expiresAt } = user as Record<string, unknown>;
  if (!Number.isSafeInteger(id) || (id as number) <= 0 || typeof nickname !== 'string') return null;
  return {
    id: id as number,
    nickname,
    sessionKey: typeof sessionKey === 'string' ? sessionKey : null,
    expiresAt: typeof expiresAt === 'number' ? expiresAt : null,
  };
}
