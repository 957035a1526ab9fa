import type { ReachedCalendar } from '../calendar/calendar-store.js';
import { SHARE_ROLES, type ShareRole } from '../calendar/calendar-types.js';
import { projectCalendar } from '../calendar/calendars.routes.js';
import { readEventInput } from '../calendar/event-input.js';
import { projectInstance, projectMaster, type Representation } from '../calendar/event-projection.js';
import { calendarView, parseOccurrenceId } from '../calendar/event-view.js';
import { ownerOf } from '../calendar/mailbox-access.js';
import type { EmulatorContext } from '../emulator-context.js';
import type { Props } from '../store/store-types.js';
import { ControlError } from './control-error.js';
import type { DeliverySettings, DeliveryStats, LifecycleEvent } from '../calendar/subscriptions.js';

const LIFECYCLE_EVENTS: readonly LifecycleEvent[] = ['reauthorizationRequired', 'subscriptionRemoved', 'missed'];

const UTC: Representation = { zoneName: 'UTC', zone: 'UTC', textBody: false, maxPageSize: undefined, applied: [] };

/** An event as the control API shows it: Graph's shape (UTC), with every extended property it carries. */
export type ControlEvent = Record<string, unknown> & { id: string };

/** The public operations, which the HTTP client offers too. */
export type CalendarControl = Pick<ControlCalendars, keyof ControlCalendars>;

/**
 * Calendar operations of the control API: what a person does in Outlook (create, edit, delete
 * events, cancel a meeting, add a calendar, share one with a role). They skip Graph's request rules
 * (no If-Match, no permission) but change the same store, so delta, changeKeys and notifications see them.
 */
export class ControlCalendars {
  constructor(private readonly ctx: EmulatorContext) {}

  async listCalendars(userId: string): Promise<Array<Record<string, unknown>>> {
    const mailbox = this.mailbox(userId);
    return this.ctx.calendars.reachable(mailbox).map((reached) => projectCalendar(this.ctx, reached));
  }

  async createCalendar(userId: string, input: { name: string }): Promise<{ id: string }> {
    if (typeof input.name !== 'string' || input.name === '') throw new ControlError(400, 'name is required');
    return { id: this.ctx.calendars.createCalendar(this.mailbox(userId), input.name).id };
  }

  async deleteCalendar(userId: string, calendarId: string): Promise<void> {
    const reached = this.reach(userId, calendarId);
    if (reached.link) this.ctx.calendars.unshare(reached.link.id);
    else if (reached.calendar.isDefaultCalendar) throw new ControlError(400, 'the default calendar cannot be deleted');
    else this.ctx.calendars.deleteCalendar(reached.calendar.id);
  }

  /** The owner shares a calendar and the sharee accepts: the sharee lists it under an id of its own. */
  async shareCalendar(
    ownerId: string,
    calendarId: string,
    input: { shareeId: string; role: ShareRole },
  ): Promise<{ id: string }> {
    const reached = this.reach(ownerId, calendarId);
    if (reached.link) throw new ControlError(400, 'only the owner shares a calendar');
    if (!SHARE_ROLES.includes(input.role)) throw new ControlError(400, `role must be one of ${SHARE_ROLES.join(', ')}`);
    return { id: this.ctx.calendars.share(reached.calendar.id, this.mailbox(input.shareeId), input.role).id };
  }

  /** The owner changes the sharee's role (the id is the calendar's id in the sharee's list). */
  async setShareRole(shareeId: string, calendarId: string, role: ShareRole): Promise<void> {
    const reached = this.reach(shareeId, calendarId);
    if (!reached.link) throw new ControlError(400, `${calendarId} is not shared with ${shareeId}`);
    if (!SHARE_ROLES.includes(role)) throw new ControlError(400, `role must be one of ${SHARE_ROLES.join(', ')}`);
    this.ctx.calendars.setShareRole(reached.link.id, role);
  }

  /** Creates an event in a calendar (the default one when `calendarId` is null). */
  async createEvent(userId: string, calendarId: string | null, props: Props): Promise<ControlEvent> {
    const reached = calendarId === null ? this.defaultOf(userId) : this.reach(userId, calendarId);
    const input = readEventInput(props, 'create', undefined, true);
    if (!input.ok) throw new ControlError(400, JSON.stringify(input.response.body));
    const event = this.ctx.calendars.createEvent(reached.calendar, input.value.props, input.value.ext);
    return this.getEvent(userId, event.id) as Promise<ControlEvent>;
  }

  /** Edits an event, a series, or one occurrence (an exception of its series), as Outlook would. */
  async updateEvent(userId: string, eventId: string, props: Props): Promise<ControlEvent> {
    const { event, originalStartMs } = this.event(userId, eventId);
    const input = readEventInput(props, 'update', event.p, true);
    if (!input.ok) throw new ControlError(400, JSON.stringify(input.response.body));
    if (originalStartMs === undefined) this.ctx.calendars.updateEvent(event, input.value.props, input.value.ext);
    else this.ctx.calendars.overrideOccurrence(event, originalStartMs, input.value.props);
    return (await this.getEvent(userId, eventId))!;
  }

  /** Deletes an event, a whole series, or one occurrence of a series. */
  async deleteEvent(userId: string, eventId: string): Promise<void> {
    const { event, originalStartMs } = this.event(userId, eventId);
    if (originalStartMs === undefined) this.ctx.calendars.deleteEvent(event.id);
    else this.ctx.calendars.overrideOccurrence(event, originalStartMs, 'deleted');
  }

  /** A single instance or series master, with all its extended properties; null when gone. */
  async getEvent(userId: string, eventId: string): Promise<ControlEvent | null> {
    const mailbox = this.mailbox(userId);
    const found = this.ctx.calendars.events.get(parseOccurrenceId(eventId)?.masterId ?? eventId);
    if (!found) return null;
    const reached = this.ctx.calendars.reachable(mailbox).find((c) => c.calendar.id === found.calendarId);
    if (!reached) return null;
    return {
      ...projectMaster(found, UTC, ownerOf(this.ctx, reached)),
      id: found.id,
      singleValueExtendedProperties: [...found.ext.values()],
    };
  }

  /** Every single instance and series master of a calendar (the default one when null). */
  async listEvents(userId: string, calendarId: string | null): Promise<ControlEvent[]> {
    const reached = calendarId === null ? this.defaultOf(userId) : this.reach(userId, calendarId);
    const events = this.ctx.calendars.eventsIn(reached.calendar.id);
    return Promise.all(events.map((e) => this.getEvent(userId, e.id) as Promise<ControlEvent>));
  }

  /** The calendar view between two instants (ISO 8601), occurrences expanded, in UTC. */
  async calendarView(userId: string, calendarId: string | null, from: string, to: string): Promise<ControlEvent[]> {
    const reached = calendarId === null ? this.defaultOf(userId) : this.reach(userId, calendarId);
    const owner = ownerOf(this.ctx, reached);
    return calendarView(this.ctx.calendars.eventsIn(reached.calendar.id), Date.parse(from), Date.parse(to)).map(
      (i) => projectInstance(i, UTC, owner) as ControlEvent,
    );
  }

  /** Forgets every calendar view delta state: the next delta link answers 410 SyncStateNotFound. */
  async expireCalendarDelta(): Promise<void> {
    this.ctx.calendarDelta.clear();
  }

  /**
   * Gives every mailbox (user with mail) its default calendar and `calendarsPerMailbox - 1` more
   * (`Extra 1`, ...), each with `eventsPerCalendar` one-hour events spread over the next year: a
   * tenant for benchmarks, made in-process (no request per event).
   */
  async seedCalendars(input: {
    calendarsPerMailbox: number;
    eventsPerCalendar: number;
  }): Promise<{ mailboxes: number; calendars: number; events: number }> {
    const today = Date.UTC(
      new Date(this.ctx.now()).getUTCFullYear(),
      new Date(this.ctx.now()).getUTCMonth(),
      new Date(this.ctx.now()).getUTCDate(),
    );
    let mailboxes = 0;
    let calendars = 0;
    let events = 0;
    for (const user of this.ctx.store.users.values()) {
      if (!this.ctx.calendars.mailbox(user.id)) continue;
      mailboxes += 1;
      const own = [this.ctx.calendars.defaultCalendar(user.id)];
      for (let c = 1; c < input.calendarsPerMailbox; c++)
        own.push(this.ctx.calendars.createCalendar(user.id, `Extra ${c}`));
      for (const calendar of own) {
        calendars += 1;
        for (let i = 0; i < input.eventsPerCalendar; i++) {
          const start = today + ((i * 37) % 360) * 86_400_000 + (8 + (i % 9)) * 3_600_000;
          const at = (ms: number) => ({ dateTime: new Date(ms).toISOString().slice(0, 19), timeZone: 'UTC' });
          this.ctx.calendars.createEvent(calendar, {
            subject: `${calendar.name} event ${i}`,
            body: { contentType: 'text', content: 'Seeded for a benchmark' },
            start: at(start),
            end: at(start + 3_600_000),
            showAs: 'busy',
            sensitivity: i % 10 === 0 ? 'private' : 'normal',
          });
          events += 1;
        }
      }
    }
    return { mailboxes, calendars, events };
  }

  /**
   * Edits `count` events, as their users would in Outlook, chosen evenly among the calendars of
   * these names: each gets a new subject (and changeKey). Returns what changed.
   */
  async touchEvents(input: {
    count: number;
    calendarNames: string[];
    subject: string;
  }): Promise<Array<{ userId: string; eventId: string; subject: string }>> {
    const names = new Set(input.calendarNames);
    const candidates = [...this.ctx.calendars.events.values()].filter((e) => {
      const calendar = this.ctx.calendars.calendars.get(e.calendarId);
      return calendar !== undefined && names.has(calendar.name) && e.type === 'singleInstance';
    });
    const step = Math.max(1, Math.floor(candidates.length / Math.max(1, input.count)));
    const touched: Array<{ userId: string; eventId: string; subject: string }> = [];
    for (let i = 0; i < candidates.length && touched.length < input.count; i += step) {
      const event = candidates[i]!;
      const subject = `${input.subject} ${touched.length}`;
      this.ctx.calendars.updateEvent(event, { subject });
      touched.push({
        userId: this.ctx.calendars.calendars.get(event.calendarId)!.mailboxId,
        eventId: event.id,
        subject,
      });
    }
    return touched;
  }

  /** The live subscriptions (https://learn.microsoft.com/graph/api/resources/subscription), clientState left out. */
  async listSubscriptions(): Promise<Array<Record<string, unknown>>> {
    return this.ctx.subscriptions.live().map((s) => ({
      id: s.id,
      resource: s.resource,
      changeType: s.changeTypes.join(','),
      notificationUrl: s.notificationUrl,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl,
      expirationDateTime: new Date(s.expirationMs).toISOString(),
    }));
  }

  /**
   * Sends a lifecycle notification as Graph does (https://learn.microsoft.com/graph/change-notifications-lifecycle-events):
   * `subscriptionRemoved` also removes the subscription; `missed` says notifications were lost.
   */
  async sendLifecycleNotification(subscriptionId: string, event: LifecycleEvent): Promise<void> {
    if (!LIFECYCLE_EVENTS.includes(event))
      throw new ControlError(400, `event must be one of ${LIFECYCLE_EVENTS.join(', ')}`);
    if (!this.ctx.subscriptions.get(subscriptionId)) throw new ControlError(404, `no subscription ${subscriptionId}`);
    this.ctx.subscriptions.lifecycle(subscriptionId, event);
  }

  /** Pauses delivery (what changes meanwhile is dropped, as missed), or delays each batch. */
  async setNotificationDelivery(settings: Partial<DeliverySettings>): Promise<DeliverySettings> {
    if (settings.paused !== undefined) this.ctx.subscriptions.settings.paused = settings.paused === true;
    if (settings.delayMs !== undefined) this.ctx.subscriptions.settings.delayMs = Math.max(0, Number(settings.delayMs));
    return { ...this.ctx.subscriptions.settings };
  }

  /** What deliveries met so far (answer times in ms); `reset` starts counting anew. */
  async notificationStats(reset = false): Promise<DeliveryStats> {
    const stats = this.ctx.subscriptions.stats;
    if (reset)
      this.ctx.subscriptions.stats = { batches: 0, notifications: 0, failed: 0, slow: 0, dropped: 0, answerMs: [] };
    return stats;
  }

  private mailbox(userId: string): string {
    const user = this.ctx.calendars.mailbox(userId);
    if (!user) throw new ControlError(404, `no mailbox for user ${userId}`);
    return user.id;
  }

  private reach(userId: string, calendarId: string): ReachedCalendar {
    const reached = this.ctx.calendars.reach(this.mailbox(userId), calendarId);
    if (!reached) throw new ControlError(404, `user ${userId} has no calendar ${calendarId}`);
    return reached;
  }

  private defaultOf(userId: string): ReachedCalendar {
    return this.reach(userId, this.ctx.calendars.defaultCalendar(this.mailbox(userId)).id);
  }

  private event(userId: string, eventId: string) {
    const mailbox = this.mailbox(userId);
    const occurrence = parseOccurrenceId(eventId);
    const event = this.ctx.calendars.events.get(occurrence?.masterId ?? eventId);
    if (!event || !this.ctx.calendars.reachable(mailbox).some((c) => c.calendar.id === event.calendarId))
      throw new ControlError(404, `user ${userId} has no event ${eventId}`);
    return { event, originalStartMs: occurrence?.originalStartMs };
  }
}
