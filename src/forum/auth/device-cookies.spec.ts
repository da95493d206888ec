import { describe, expect, it } from 'vitest';
import { DEVICE_SECRET_MIN_LENGTH, DeviceCookies } from './device-cookies.js';

describe('DeviceCookies', () => {
  it('refuses a secret shorter than DEVICE_SECRET_MIN_LENGTH, naming deviceSecret: a short key makes cookies forgeable', () => {
    expect(() => new DeviceCookies('')).toThrow(/deviceSecret must be at least 32 characters/);
    expect(() => new DeviceCookies('s'.repeat(DEVICE_SECRET_MIN_LENGTH - 1))).toThrow(/deviceSecret/);
  });

  it('honours a cookie it issued for its account only, and none signed with another secret', () => {
    const cookies = new DeviceCookies('s'.repeat(DEVICE_SECRET_MIN_LENGTH));
    const value = cookies.issue(7);
    expect(cookies.verify(value, 7)).toMatchObject({ userId: 7 });
    expect(cookies.verify(value, 8)).toBeNull();
    expect(new DeviceCookies('t'.repeat(DEVICE_SECRET_MIN_LENGTH)).verify(value, 7)).toBeNull();
  });
});
