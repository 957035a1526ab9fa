/*
 * The employment of an employee profile (rule 3.5). It does not follow Entra: an employee leaves
 * through a resignation date. Dates are calendar dates (YYYY-MM-DD); `today` is the date in the
 * organisation's time zone, passed in by the caller so that the rule never reads a clock.
 */

import { assertCalendarDate, type CalendarDate } from './calendar-date.js';

export type EmploymentStatus = 'active' | 'pending' | 'archived';

/** 'active' without a resignation date, 'pending' before it, 'archived' on and after it. */
export function employmentStatus(resignationDate: CalendarDate | null, today: CalendarDate): EmploymentStatus {
  assertCalendarDate(today, 'today');
  if (resignationDate === null) return 'active';
  assertCalendarDate(resignationDate, 'resignationDate');
  // ISO calendar dates order as strings do.
  return today < resignationDate ? 'pending' : 'archived';
}

/** From the resignation date on, the employee's HR user is deactivated (3.5). */
export function mustDeactivateHrUser(status: EmploymentStatus): boolean {
  return status === 'archived';
}
