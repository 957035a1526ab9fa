import type {} from 'pino-http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../gateways/db/api-token.repository.js';

/** What every request carries: its own forked EntityManager and, once authenticated, who calls. */
export interface RequestContext {
  em: EntityManager;
  principal?: Principal;
}

declare module 'express-serve-static-core' {
  interface Request {
    context: RequestContext;
  }
}
