import { PostgresMessageStore } from '../../src/chat/history/postgres-message.store.js';
import { SqliteMessageStore } from '../../src/chat/history/sqlite-message.store.js';
import { InMemoryMessageStore } from '../../src/testing/in-memory-message.store.js';
import {
  ALWAYS,
  describeWithServices,
  dropSchema,
  postgresUrlFor,
  requireServices,
  testNamespace,
} from '../support/services.js';
import { conversationIndexContract } from './conversation-index.contract.js';
import { messageStoreContract, MessageStoreSubject } from './message-store.contract.js';

const services = await requireServices('postgres');

const sqlite: MessageStoreSubject = {
  name: 'SqliteMessageStore',
  open: async () => {
    const store = SqliteMessageStore.open(':memory:');
    return { store, secondWriter: store, cleanup: () => store.close() };
  },
};

/** The test kit's store: every guarantee but durability. */
const inMemory: MessageStoreSubject = {
  name: 'InMemoryMessageStore',
  open: async () => {
    const store = new InMemoryMessageStore();
    return { store, secondWriter: store, cleanup: () => store.close() };
  },
};

const postgres: MessageStoreSubject = {
  name: 'PostgresMessageStore',
  open: async () => {
    const schema = testNamespace();
    const store = await PostgresMessageStore.open(postgresUrlFor(schema));
    const secondWriter = await PostgresMessageStore.open(postgresUrlFor(schema));
    return {
      store,
      secondWriter,
      cleanup: async () => {
        await Promise.all([store.close(), secondWriter.close()]);
        await dropSchema(schema);
      },
    };
  },
};

for (const subject of [sqlite, inMemory, postgres]) {
  describeWithServices(subject === postgres ? services : ALWAYS, subject.name, () => messageStoreContract(subject));
}

for (const subject of [sqlite, inMemory, postgres]) {
  describeWithServices(subject === postgres ? services : ALWAYS, `${subject.name} conversations`, () =>
    conversationIndexContract(subject),
  );
}
