/** Called with the keys of sessions that just ended (logout or revocation). */
export type SessionEndedListener = (sessionKeys: string[]) => void;

/**
 * In-process notifications of ended sessions, so that whatever holds connections opened
 * with them (the chat) can close them. Listeners run synchronously in registration order;
 * a throwing listener does not stop the others.
 */
export class SessionEndedEvents {
  private readonly listeners: SessionEndedListener[] = [];

  onSessionsEnded(listener: SessionEndedListener): void {
    this.listeners.push(listener);
  }

  emit(sessionKeys: string[]): void {
    if (sessionKeys.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(sessionKeys);
      } catch {
        // one broken listener must not keep the others from hearing about it
      }
    }
  }
}
