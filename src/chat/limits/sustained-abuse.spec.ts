import { describe, expect, it } from 'vitest';
import { ABUSE_WINDOW_MS, SustainedAbuse } from './sustained-abuse.js';

describe('SustainedAbuse', () => {
  it('answers true exactly at the refusal that exceeds the threshold within the window', () => {
    let now = 0;
    const abuse = new SustainedAbuse(() => now);
    const socket = {};
    const answers = Array.from({ length: 31 }, () => abuse.record(socket, 30));
    expect(answers.indexOf(true)).toBe(30);
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('counts only refusals within the last window', () => {
    let now = 0;
    const abuse = new SustainedAbuse(() => now);
    const socket = {};
    for (let i = 0; i < 30; i++) abuse.record(socket, 30);
    now += ABUSE_WINDOW_MS;
    expect(abuse.record(socket, 30)).toBe(false);
    for (let i = 0; i < 29; i++) expect(abuse.record(socket, 30)).toBe(false);
    expect(abuse.record(socket, 30)).toBe(true);
  });

  it('keeps sockets apart', () => {
    const abuse = new SustainedAbuse(() => 0);
    const a = {};
    for (let i = 0; i < 30; i++) abuse.record(a, 30);
    expect(abuse.record({}, 30)).toBe(false);
  });
});
