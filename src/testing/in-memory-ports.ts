import type { FanoutBus } from '../chat/fanout/fanout.bus.js';
import { InMemoryFanoutBus } from '../chat/fanout/in-memory-fanout.bus.js';
import type { MessageStore } from '../chat/history/message.store.js';
import { InMemoryRateLimiter } from '../chat/limits/in-memory-rate.limiter.js';
import type { RateLimiter } from '../chat/limits/rate-limiter.js';
import { InMemoryPresenceStore } from '../chat/presence/in-memory-presence.store.js';
import type { PresenceStore } from '../chat/presence/presence.store.js';
import type { ModerationStore } from '../chat/moderation/moderation.store.js';
import { InMemoryMessageStore } from './in-memory-message.store.js';
import { InMemoryModerationStore } from './in-memory-moderation.store.js';

/**
 * The ports a test app runs on instead of the ones its options name. Instances handed
 * the same ports behave as one cluster (one bus, one presence, one store, shared limits).
 */
export interface ChatTestPorts {
  fanoutBus: FanoutBus;
  presenceStore: PresenceStore;
  messageStore: MessageStore;
  moderationStore: ModerationStore;
  rateLimiter: RateLimiter;
}

/** Fresh in-process ports: no file, no service, nothing left behind. */
export function createInMemoryPorts(): ChatTestPorts & { close(): Promise<void> } {
  const ports = {
    fanoutBus: new InMemoryFanoutBus(),
    presenceStore: new InMemoryPresenceStore(),
    messageStore: new InMemoryMessageStore(),
    moderationStore: new InMemoryModerationStore(),
    rateLimiter: new InMemoryRateLimiter(),
  };
  return {
    ...ports,
    close: async () => {
      for (const port of Object.values(ports)) await port.close();
    },
  };
}
