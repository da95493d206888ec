import { describe, expect, it } from 'vitest';
import { OnlinePresence, withCapabilities } from './online-presence.js';

describe('withCapabilities', () => {
  it('adds caps to the query, before any fragment, and leaves the URL alone without capabilities', () => {
    expect(withCapabilities('ws://h/ws', ['presence_changes'])).toBe('ws://h/ws?caps=presence_changes');
    expect(withCapabilities('ws://h/ws?x=1#f', ['presence_changes'])).toBe('ws://h/ws?x=1&caps=presence_changes#f');
    expect(withCapabilities('ws://h/ws', [])).toBe('ws://h/ws');
  });
});

describe('OnlinePresence', () => {
  const ada = { id: 1, nickname: 'ada' };
  const bob = { id: 2, nickname: 'bob' };

  it('follows pages and coalesced changes, and is incomplete after an overflow', () => {
    const online = new OnlinePresence();
    online.apply({ type: 'online_page', users: [ada], count: 2, has_more: true });
    expect(online.complete).toBe(false);
    online.apply({ type: 'online_page', users: [bob], count: 2, has_more: false });
    expect([online.count, online.complete, [...online.users.keys()]]).toEqual([2, true, [1, 2]]);
    online.apply({ type: 'presence', count: 1, joined: [], left: [ada], overflow: false });
    expect([online.count, [...online.users.keys()]]).toEqual([1, [2]]);
    online.apply({ type: 'presence', count: 900, joined: [], left: [], overflow: true });
    expect([online.count, online.complete]).toEqual([900, false]);
  });

  it('follows the seed frames, and a cut online_users', () => {
    const online = new OnlinePresence();
    online.apply({ type: 'online_users', users: [ada] });
    online.apply({ type: 'user_joined', user_id: 2, nickname: 'bob', timestamp: '' });
    expect([online.count, online.complete]).toEqual([2, true]);
    online.apply({ type: 'online_users', users: [ada], count: 5000 });
    expect([online.count, online.complete, online.users.size]).toEqual([5000, false, 1]);
  });
});
