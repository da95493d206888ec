import { describe, expect, it } from 'vitest';
import { MissingPeerError, requirePeer } from './optional-peer.js';

describe('requirePeer', () => {
  it('loads an installed driver', () => {
    expect(typeof requirePeer<{ Pool: unknown }>('pg', 'a postgres:// databaseUrl').Pool).toBe('function');
  });

  it('names the missing package and the setting that needs it', () => {
    expect(() => requirePeer('forum-chat-no-such-driver', 'a redisUrl')).toThrow(MissingPeerError);
    expect(() => requirePeer('forum-chat-no-such-driver', 'a redisUrl')).toThrow(
      'forum-chat needs the package "forum-chat-no-such-driver" for a redisUrl: npm install forum-chat-no-such-driver',
    );
  });
});
