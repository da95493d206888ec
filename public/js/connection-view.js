const LABELS = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
  session_ended: 'Session ended',
};

/**
 * The connection pill in the top bar, and while the connection is down a banner saying when
 * the next attempt is due, with "Reconnect now" to skip the wait.
 */
export function attachConnectionView({ state, intents, pill, banner, detail, reconnectNow }) {
  reconnectNow.addEventListener('click', () => intents.reconnectNow());

  function render() {
    const { state: connection, delayMs } = state.connection;
    pill.dataset.state = connection;
    const waiting = connection === 'reconnecting' && delayMs !== null;
    const seconds = waiting ? Math.max(1, Math.round(delayMs / 1000)) : 0;
    pill.textContent = waiting && delayMs >= 1000 ? `Reconnecting in ${seconds} s…` : LABELS[connection];
    banner.hidden = connection !== 'reconnecting';
    detail.textContent = waiting
      ? `Connection lost. Trying again in ${seconds} s; messages you send wait until then.`
      : 'Connection lost. Reconnecting…';
    reconnectNow.hidden = !waiting;
  }
  state.subscribe((change) => {
    if (change.kind === 'connection') render();
  });
  render();
}
