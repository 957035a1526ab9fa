import { describe } from '@jest/globals';
import { inboundStoresContract } from '../../support/contracts/index.js';
import { postgresBackend } from '../../support/contracts/postgres-backend.js';

/** The PostgreSQL repositories of src/gateways/db/inbound-stores.ts, each case on a database of its own. */
describe('the inbound stores in PostgreSQL', () => {
  inboundStoresContract(postgresBackend);
});
