import { pageOf, type Page } from './page.js';
import { AppError, notFound } from './app-error.js';
import {
  defaultShowAs,
  hrEventContent,
  type HrEventDraft,
  type HrEventKind,
  type HrRecurrence,
} from '../domain/hr-event.js';
import type { CalendarEventView, EventHistoryView } from './ports/calendar-event.port.js';
import type { Repositories } from './ports/repositories.port.js';

/** The longest range one listing may ask for: the sync window (fourteen months) with room on each side. */
const MAX_RANGE_DAYS = 500;

/** An HR event as the APIs write it (docs/rules.md §6.7). */
export interface HrEventInput {
  kind: HrEventKind;
  subject: string;
  body?: string;
  location?: string;
  timeZone?: string;
  isAllDay?: boolean;
  start?: string;
  end?: string;
  startDate?: string;
  endDate?: string;
  showAs?: string;
  sensitivity?: 'normal' | 'private';
  recurrence?: HrRecurrence | null;
}

/**
 * The events of an HR user's calendars (docs/rules.md §6.3, §6.7), for the employee's API and the
 * admin's. `requestSync` queues a run of the user's mailbox, which pushes HR's changes.
 */
export class CalendarEventsService {
  constructor(
    private readonly repos: Repositories,
    private readonly requestSync: (hrUserId: string) => Promise<void> = async () => {},
  ) {}

  /** Creates an HR event in the user's default calendar, or in the enabled calendar of theirs that is named. */
  async create(hrUserId: string, input: HrEventInput & { calendarId?: string }): Promise<CalendarEventView> {
    await this.account(hrUserId);
    if (input.calendarId !== undefined) {
      const calendar = (await this.repos.calendars.calendarsOf(hrUserId)).find((c) => c.id === input.calendarId);
      if (!calendar) throw notFound('Calendar');
      if (!calendar.enabled) throw new AppError('conflict', 'HR events go to an enabled calendar; enable it first');
    }
    const content = checked(draftOf(input));
    const id = await this.repos.events.createHrEvent(hrUserId, input.calendarId ?? null, content);
    await this.requestSync(hrUserId);
    return this.get(hrUserId, id);
  }

  /** HR's change of one of its events; events from Microsoft 365 are changed in Outlook (409). */
  async update(hrUserId: string, eventId: string, patch: Partial<HrEventInput>): Promise<CalendarEventView> {
    const current = await this.hrEvent(hrUserId, eventId);
    const merged: HrEventInput = { ...inputOf(current), ...patch };
    if (merged.isAllDay) {
      if (patch.start === undefined) delete merged.start;
      if (patch.end === undefined) delete merged.end;
    } else {
      if (patch.startDate === undefined) delete merged.startDate;
      if (patch.endDate === undefined) delete merged.endDate;
    }
    if (
      patch.kind !== undefined &&
      patch.showAs === undefined &&
      current.showAs === defaultShowAs(current.kind as HrEventKind)
    )
      delete merged.showAs;
    if (!(await this.repos.events.updateHrEvent(hrUserId, eventId, checked(draftOf(merged))))) throw notFound('Event');
    await this.requestSync(hrUserId);
    return this.get(hrUserId, eventId);
  }

  /** Deletes an HR event, or one occurrence of an HR series (the series remembers it, rule 6.7). */
  async delete(hrUserId: string, eventId: string): Promise<void> {
    const event = await this.hrEvent(hrUserId, eventId, true);
    const done = isOccurrence(event)
      ? await this.repos.events.cancelOccurrence(hrUserId, eventId)
      : await this.repos.events.deleteHrEvent(hrUserId, eventId);
    if (!done) throw notFound('Event');
    await this.requestSync(hrUserId);
  }

  /** The earlier versions an event's conflicts and Outlook's changes left (rule 6.8). */
  async history(hrUserId: string, eventId: string): Promise<EventHistoryView[]> {
    await this.get(hrUserId, eventId);
    return this.repos.events.history(hrUserId, eventId);
  }

  private async hrEvent(hrUserId: string, eventId: string, occurrenceToo = false): Promise<CalendarEventView> {
    const event = await this.get(hrUserId, eventId);
    if (event.origin !== 'hr')
      throw new AppError('conflict', 'This event comes from Microsoft 365: change or delete it in Outlook');
    if (isOccurrence(event) && !occurrenceToo)
      throw new AppError(
        'conflict',
        'This is one occurrence of an HR series: change the series, or delete the occurrence',
      );
    return event;
  }

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

function draftOf(input: HrEventInput): HrEventDraft {
  return {
    kind: input.kind,
    subject: input.subject,
    body: input.body ?? '',
    location: input.location ?? '',
    timeZone: input.timeZone ?? 'UTC',
    isAllDay: input.isAllDay ?? false,
    ...(input.start !== undefined ? { start: input.start } : {}),
    ...(input.end !== undefined ? { end: input.end } : {}),
    ...(input.startDate !== undefined ? { startDate: input.startDate } : {}),
    ...(input.endDate !== undefined ? { endDate: input.endDate } : {}),
    showAs: input.showAs ?? defaultShowAs(input.kind),
    sensitivity: input.sensitivity ?? 'normal',
    recurrence: input.recurrence ?? null,
  };
}

function isOccurrence(event: CalendarEventView): boolean {
  return event.type === 'occurrence' || event.type === 'exception';
}

function inputOf(event: CalendarEventView): HrEventInput {
  return {
    kind: event.kind as HrEventKind,
    subject: event.subject,
    body: event.body,
    location: event.location,
    timeZone: event.timeZone,
    isAllDay: event.isAllDay,
    ...(event.isAllDay
      ? { startDate: event.startDate!, endDate: event.endDate! }
      : { start: event.start, end: event.end }),
    showAs: event.showAs,
    sensitivity: event.sensitivity === 'private' ? 'private' : 'normal',
    recurrence: event.recurrence,
  };
}

function checked(draft: HrEventDraft) {
  const result = hrEventContent(draft);
  if (!result.ok) throw new AppError('validation_failed', result.error);
  return result.content;
}
