/**
 * Where a `ChatClient` is in its life:
 * - `idle`: created, `connect()` not called yet;
 * - `connecting`: the first socket is opening;
 * - `open`: a socket is open; frames are sent immediately;
 * - `reconnecting`: the socket dropped; waiting for the backoff delay or opening a new one;
 * - `closed`: `close()` was called; nothing happens until `connect()`;
 * - `session_ended`: the server closed with 4401 (or the session check failed): the user
 *   must log in again; the client never reconnects by itself from here.
 */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed' | 'session_ended';
