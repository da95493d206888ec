import { describe, expect, it } from 'vitest';
import { AccountRefusals } from './account-refusals.js';
import { ABUSE_WINDOW_MS } from './sustained-abuse.js';

describe('AccountRefusals', () => {
  it('answers true from the refusal that exceeds the threshold within the window, whatever socket it came from', () => {
    const refusals = new AccountRefusals(() => 0);
    const answers = Array.from({ length: 62 }, () => refusals.record(7, 60));
    expect(answers.indexOf(true)).toBe(60);
    expect(answers.slice(60)).toEqual([true, true]);
  });

  it('keeps accounts apart and forgets refusals older than the window', () => {
    let now = 0;
    const refusals = new AccountRefusals(() => now);
    for (let i = 0; i < 60; i++) refusals.record(7, 60);
    expect(refusals.record(8, 60)).toBe(false);
    now += ABUSE_WINDOW_MS;
    expect(refusals.record(7, 60)).toBe(false);
  });
});
