import { renderCalendarFeed } from '../domain/calendar-feed.js';
import { hashToken, newToken } from '../domain/bearer-token.js';
import { syncWindow } from '../domain/sync-window.js';
import { notFound } from './app-error.js';
import type { CalendarFeedStatus } from './ports/calendar-feed.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** Where feeds are served; the token is the file name (`<token>.ics`). */
export const CALENDAR_FEED_PATH = '/feeds/calendar';

/** The most events one feed carries: fourteen months of a busy calendar with room to spare. */
export const FEED_EVENT_LIMIT = 10_000;

/** A feed token: `ehf_` and 43 base64url characters (newToken). */
const FEED_TOKEN = /^ehf_[A-Za-z0-9_-]{43}$/;

/**
 * The employee's iCalendar feed of their HR calendar (docs/rules.md §6.4): a secret URL, made (or
 * made again, which ends the previous one) and revoked by the employee; the token is shown once
 * and stored as its SHA-256 only, like API tokens.
 */
export class CalendarFeedService {
  constructor(private readonly repos: Repositories) {}

  async status(hrUserId: string): Promise<CalendarFeedStatus> {
    await this.account(hrUserId);
    return this.repos.calendarFeeds.status(hrUserId);
  }

  /** A new secret URL under `baseUrl`; any previous one stops working at once. */
  async rotate(hrUserId: string, baseUrl: string): Promise<CalendarFeedStatus & { url: string }> {
    await this.account(hrUserId);
    const { token, hash } = newToken('ehf_');
    const status = await this.repos.calendarFeeds.replace(hrUserId, hash);
    return { ...status, url: `${baseUrl.replace(/\/+$/, '')}${CALENDAR_FEED_PATH}/${token}.ics` };
  }

  async revoke(hrUserId: string): Promise<void> {
    await this.account(hrUserId);
    if (!(await this.repos.calendarFeeds.revoke(hrUserId))) throw notFound('Calendar feed');
  }

  /**
   * The feed a token opens, as iCalendar text: the HR calendar over the sync window (rule 6.6);
   * null for a token that opens none (unknown, replaced, revoked, or of an inactive user).
   */
  async read(token: string, now = new Date()): Promise<string | null> {
    if (!FEED_TOKEN.test(token)) return null;
    const owner = await this.repos.calendarFeeds.open(hashToken(token));
    if (!owner) return null;
    const window = syncWindow(now);
    const events = await this.repos.events.feedEvents(owner.hrUserId, {
      from: window.start,
      to: window.end,
      limit: FEED_EVENT_LIMIT,
    });
    return renderCalendarFeed({ name: `HR calendar – ${owner.name}`, events, now });
  }

  private async account(hrUserId: string): Promise<void> {
    if (!(await this.repos.calendars.account(hrUserId))) throw notFound('HR user');
  }
}
