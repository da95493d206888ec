import { describe, expect, it } from 'vitest';
import { isOriginAllowed } from './origin-policy.js';

describe('isOriginAllowed', () => {
  it('allows requests without an Origin (non-browser clients)', () => {
    expect(isOriginAllowed(undefined, 'chat.example', null)).toBe(true);
  });
  it('without a list, allows only the request host and port', () => {
    expect(isOriginAllowed('https://chat.example', 'chat.example', null)).toBe(true);
    expect(isOriginAllowed('http://chat.example:8080', 'chat.example:8080', null)).toBe(true);
    expect(isOriginAllowed('http://chat.example:8081', 'chat.example:8080', null)).toBe(false);
    expect(isOriginAllowed('https://evil.example', 'chat.example', null)).toBe(false);
    expect(isOriginAllowed('null', 'chat.example', null)).toBe(false);
  });
  it('without a list, refuses a same host and port under a scheme no web page has', () => {
    expect(isOriginAllowed('ftp://chat.example:8080', 'chat.example:8080', null)).toBe(false);
    expect(isOriginAllowed('ws://chat.example:8080', 'chat.example:8080', null)).toBe(false);
    expect(isOriginAllowed('chrome-extension://chat.example', 'chat.example', null)).toBe(false);
    expect(isOriginAllowed('HTTPS://chat.example', 'chat.example', null)).toBe(true);
  });
  it('with a list, allows exactly its entries', () => {
    const list = ['https://forum.example'];
    expect(isOriginAllowed('https://forum.example', 'chat.example', list)).toBe(true);
    expect(isOriginAllowed('https://forum.example.evil', 'chat.example', list)).toBe(false);
    expect(isOriginAllowed('https://chat.example', 'chat.example', list)).toBe(false);
  });
});
