/**
 * Who an accepted socket belongs to, as a host's `toPrincipal` states it at the handshake:
 * `id` (a positive integer) and `nickname` are required. `sessionKey` names the session for
 * `ChatSessions.end` (never the secret token); `expiresAt` (epoch ms) closes the socket with
 * 4401 when reached — when absent, the `exp` of a JWT sent as `Authorization: Bearer` is used.
 */
export interface ChatPrincipal {
  id: number;
  nickname: string;
  sessionKey?: string | null;
  expiresAt?: number | null;
}

/** A `ChatPrincipal` as the chat holds it for an open socket: every field stated. */
export interface SocketPrincipal {
  id: number;
  nickname: string;
  sessionKey: string | null;
  expiresAt: number | null;
}

/**
 * The default `toPrincipal`: the strategy's user is taken as the principal as it is, so a
 * strategy whose `validate` returns `{ id, nickname, sessionKey?, expiresAt? }` needs no mapping.
 */
export function defaultToPrincipal(user: unknown): ChatPrincipal | null {
  return user as ChatPrincipal | null;
}
