import type { EntityManager } from '@mikro-orm/postgresql';
import { runEmploymentLifecycle } from '../application/employee-profiles.service.js';
import type { CalendarDate } from '../domain/calendar-date.js';
import { repositoriesFor } from '../gateways/db/repositories.js';
import type { JobHandler } from './job-registry.js';

/**
 * Thin daily handler (rule 3.5): archives the employees whose resignation date has come and
 * deactivates their HR users, in a fresh EntityManager. Running it twice a day changes nothing
 * the second time, so a retried or doubled run is harmless.
 */
export function employmentLifecycleJob(
  em: () => EntityManager,
  today: () => CalendarDate,
): JobHandler<'employment-lifecycle'> {
  return async () => {
    const date = today();
    const { archived, deactivated } = await runEmploymentLifecycle(repositoriesFor(em()), date);
    return {
      status: 'done',
      detail: `${date}: ${archived} employee profile(s) archived, ${deactivated} HR user(s) deactivated`,
    };
  };
}
