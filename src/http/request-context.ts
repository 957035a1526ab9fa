import type {} from 'pino-http';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../application/ports/api-token.port.js';
import type { Repositories } from '../application/ports/repositories.port.js';

/**
 * What every request carries: its own forked EntityManager, the repositories over it and, once
 * authenticated, who calls.
 */
export interface RequestContext {
  em: EntityManager;
  repos: Repositories;
  principal?: Principal;
}

declare module 'express-serve-static-core' {
  interface Request {
    context: RequestContext;
  }
}
