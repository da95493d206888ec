/**
 * Who a request is authenticated as, as every forum-session check returns it
 * (HTTP guard and WebSocket handshake alike). `sessionKey` identifies the session
 * (the hash of its token, never the token), `expiresAt` is when it ends (epoch ms).
 */
export interface AuthenticatedUser {
  id: number;
  nickname: string;
  sessionKey: string;
  expiresAt: number;
}
