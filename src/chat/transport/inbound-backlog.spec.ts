import { describe, expect, it } from 'vitest';
import { INBOUND_PAUSE_AT, INBOUND_RESUME_AT, InboundBacklog } from './inbound-backlog.js';

/** Stands in for the `ws` socket's pause/resume switch (a third-party object, not ours). */
function switchboard() {
  const events: string[] = [];
  const ws = {
    isPaused: false,
    pause() {
      ws.isPaused = true;
      events.push('pause');
    },
    resume() {
      ws.isPaused = false;
      events.push('resume');
    },
  };
  return { ws, events };
}

describe('InboundBacklog', () => {
  it('stops reading at the pause mark and reads again once the backlog is down to the resume mark', () => {
    const { ws, events } = switchboard();
    const backlog = new InboundBacklog(ws);
    for (let i = 1; i < INBOUND_PAUSE_AT; i++) backlog.received();
    expect(events).toEqual([]);
    backlog.received();
    expect(events).toEqual(['pause']);
    for (let i = INBOUND_PAUSE_AT; i > INBOUND_RESUME_AT + 1; i--) backlog.handled();
    expect(events).toEqual(['pause']);
    backlog.handled();
    expect(events).toEqual(['pause', 'resume']);
    expect(INBOUND_RESUME_AT).toBeLessThan(INBOUND_PAUSE_AT);
  });

  it('never resumes a socket it did not pause', () => {
    const { ws, events } = switchboard();
    const backlog = new InboundBacklog(ws);
    for (let i = 0; i <= INBOUND_RESUME_AT; i++) backlog.received();
    backlog.handled();
    expect(events).toEqual([]);
  });
});
