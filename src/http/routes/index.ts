import type { Router } from 'express';
import type { Scheduler } from '../../jobs/scheduler.js';
import { syncRouter } from './sync.routes.js';
import { meRouter, usersRouter } from './users.routes.js';

/** What the routers need from the composition root. */
export interface RouterDeps {
  scheduler: Scheduler;
  /** Called after integration settings change, so the recurring sync follows the new interval. */
  onSettingsChanged: () => Promise<void>;
}

/** Every authenticated router of the API, by mount path. One list, so the API's shape reads in one place. */
export function apiRouters(deps: RouterDeps): Array<{ path: string; router: Router }> {
  return [
    { path: '/api/me', router: meRouter() },
    { path: '/api/admin/users', router: usersRouter() },
    { path: '/api/admin/sync', router: syncRouter(deps.scheduler) },
  ];
}
