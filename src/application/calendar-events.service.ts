import { pageOf, type Page } from './page.js';
import { AppError, notFound } from './app-error.js';
import type { CalendarEventView } from './ports/calendar-event.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** The longest range one listing may ask for: the sync window (fourteen months) with room on each side. */
const MAX_RANGE_DAYS = 500;

/** The events of an HR user's calendars (docs/rules.md §6.3), for the employee's API and the admin's. */
export class CalendarEventsService {
  constructor(private readonly repos: Repositories) {}

  async list(
    hrUserId: string,
    query: { from: string; to: string; limit: number; after?: string },
  ): Promise<Page<CalendarEventView>> {
    const from = Date.parse(query.from);
    const to = Date.parse(query.to);
    if (!(to > from)) throw new AppError('validation_failed', 'to must be after from');
    if (to - from > MAX_RANGE_DAYS * 86_400_000)
      throw new AppError('validation_failed', `a range covers at most ${MAX_RANGE_DAYS} days`);
    await this.account(hrUserId);
    const rows = await this.repos.events.list(hrUserId, {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      limit: query.limit + 1,
      ...(query.after ? { after: query.after } : {}),
    });
    return pageOf(rows, query.limit, (last) => last.id);
  }

  async get(hrUserId: string, eventId: string): Promise<CalendarEventView> {
    const event = await this.repos.events.get(hrUserId, eventId);
    if (!event) throw notFound('Event');
    return event;
  }

  private async account(hrUserId: string): Promise<void> {
    if (!(await this.repos.calendars.account(hrUserId))) throw notFound('HR user');
  }
}
