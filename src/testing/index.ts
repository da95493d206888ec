/**
 * `forum-chat/testing`: what a host's end-to-end suite needs to cover the chat. Boot the
 * host's Nest testing module (or `ChatModule` alone) on in-memory ports, connect sockets as
 * any user without logging in, and assert on frames with timeouts and sentinels. No test
 * runner is assumed: failures are plain `Error`s (Vitest, Jest, `node:test` alike).
 */
export { startChatTest } from './start-chat-test.js';
export type { ChatTestOptions } from './start-chat-test.js';
export { startChatModuleTest, TestUserDirectory } from './start-chat-module-test.js';
export type { ChatModuleTestOptions } from './start-chat-module-test.js';
export { startChatCluster } from './start-chat-cluster.js';
export type { ChatTestCluster } from './start-chat-cluster.js';
export { ChatTestApp } from './chat-test-app.js';
export type { HandshakeHeaders } from './chat-test-app.js';
export { ChatTestSocket, DEFAULT_EXPECT_TIMEOUT_MS } from './chat-test-socket.js';
export type { ExpectNoFrameOptions, SocketClosed } from './chat-test-socket.js';
export { HandshakeRefusedError } from './handshake-refused.error.js';
export type { FrameMatch, FrameOf, DeepPartial } from './frame-match.js';
export type { TestIdentity } from './test-identity.js';
export { createInMemoryPorts } from './in-memory-ports.js';
export type { ChatTestPorts } from './in-memory-ports.js';
export { InMemoryMessageStore } from './in-memory-message.store.js';
export { InMemoryModerationStore } from './in-memory-moderation.store.js';
export { CloseCode } from '../chat/protocol/close-codes.js';
export type * from '../chat/protocol/frames.js';
