import { describe } from '@jest/globals';
import { inboundStoresContract } from '../../support/contracts/index.js';
import { inMemoryBackend } from '../../support/contracts/inbound-backend.js';

/** The in-memory stores the engine's unit tests run on pass the same contract as PostgreSQL's (test/integration/db/inbound-stores.postgres.spec.ts). */
describe('the inbound stores in memory', () => {
  inboundStoresContract(inMemoryBackend);
});
